# -DMICRO_ORDER_SANITIZE=address|thread: every target of the tree compiled and linked with a
# sanitizer (scripts/test.sh --sanitize builds build-asan/ and build-tsan/ this way):
#
#   address   AddressSanitizer (LeakSanitizer included) and UndefinedBehaviorSanitizer; any
#             undefined behaviour aborts, as an ASan report does (no "recover and go on")
#   thread    ThreadSanitizer
#
# Set before any target is declared, so every library, plugin, test and the host get the flags,
# a new test file included. The options the sanitizers run with (ASAN_OPTIONS, LSAN_OPTIONS with
# tests/sanitizer/lsan.supp, ...) are set in scripts/test.sh, for ctest and every process it starts.
set(MICRO_ORDER_SANITIZE "" CACHE STRING "Build with a sanitizer: address (ASan+UBSan) or thread (TSan)")
set_property(CACHE MICRO_ORDER_SANITIZE PROPERTY STRINGS "" address thread)

if(MICRO_ORDER_SANITIZE STREQUAL "address")
  set(_micro_order_sanitizer_flags
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
elseif(MICRO_ORDER_SANITIZE STREQUAL "thread")
  set(_micro_order_sanitizer_flags -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT MICRO_ORDER_SANITIZE STREQUAL "")
  message(FATAL_ERROR "MICRO_ORDER_SANITIZE must be address, thread or empty, not '${MICRO_ORDER_SANITIZE}'")
endif()

if(_micro_order_sanitizer_flags)
  add_compile_options(${_micro_order_sanitizer_flags})
  add_link_options(${_micro_order_sanitizer_flags})
  message(STATUS "micro-order: built with ${_micro_order_sanitizer_flags}")
endif()
