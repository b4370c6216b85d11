# Hardened code generation for every target of the build (issue 14): stack protector, fortified
# libc calls, read-only relocations bound at start-up, position-independent executables.
#
#   -DMICRO_ORDER_HARDENING=OFF       to leave them out; always off in a sanitizer build
#                                     (MICRO_ORDER_SANITIZE set: ASan replaces what these guard)
#   -DMICRO_ORDER_DPKG_BUILDFLAGS=ON  also Debian's flags (dpkg-buildflags, hardening=+all), as
#                                     a package build of Debian does; ON by default in trees
#                                     configured for packages (CMAKE_INSTALL_PREFIX=/usr)
#
# With debug info (RelWithDebInfo, the default, or Debug) the build records its macros (-g3), so
# tests/security/check_hardening.py can read _FORTIFY_SOURCE back from every compilation unit
# of the binaries (GCC records -D in no other place). Measured on listener.cpp (Beast): 2% more
# compile time than -g, objects a third bigger.
option(MICRO_ORDER_HARDENING "Build with -fstack-protector-strong, _FORTIFY_SOURCE=2, -z relro -z now, PIE" ON)
if(MICRO_ORDER_SANITIZE AND MICRO_ORDER_HARDENING)
  # Off whatever the cache says (a folder first configured without a sanitizer keeps ON there):
  # ASan's interceptors and FORTIFY's *_chk variants would check the same calls twice. A normal
  # variable, so the cache keeps the choice for when the sanitizer is gone again.
  message(STATUS "micro-order: hardening off in a sanitizer build (MICRO_ORDER_SANITIZE=${MICRO_ORDER_SANITIZE})")
  set(MICRO_ORDER_HARDENING OFF)
endif()
find_program(MICRO_ORDER_DPKG_BUILDFLAGS_PROGRAM dpkg-buildflags)
set(_dpkg_default OFF)
if(MICRO_ORDER_DPKG_BUILDFLAGS_PROGRAM AND CMAKE_INSTALL_PREFIX STREQUAL "/usr" AND NOT MICRO_ORDER_SANITIZE)
  set(_dpkg_default ON)
endif()
option(MICRO_ORDER_DPKG_BUILDFLAGS "Add dpkg-buildflags' CPPFLAGS/CXXFLAGS/LDFLAGS (hardening=+all)" ${_dpkg_default})

if(MICRO_ORDER_HARDENING)
  include(CheckPIESupported)
  check_pie_supported()  # with POSITION_INDEPENDENT_CODE, executables are linked -pie
  add_compile_options(-fstack-protector-strong -fstack-clash-protection)
  # glibc's checked variants need the optimizer; -U first so a predefined value cannot clash.
  add_compile_options("$<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>")
  add_compile_options("$<$<CONFIG:Debug,RelWithDebInfo>:-g3>")
  add_link_options(-Wl,-z,relro,-z,now)
endif()

if(MICRO_ORDER_DPKG_BUILDFLAGS)
  if(NOT MICRO_ORDER_DPKG_BUILDFLAGS_PROGRAM)
    message(FATAL_ERROR "MICRO_ORDER_DPKG_BUILDFLAGS=ON needs dpkg-buildflags (Debian package dpkg-dev)")
  endif()
  foreach(kind CPPFLAGS CXXFLAGS LDFLAGS)
    execute_process(
      COMMAND ${CMAKE_COMMAND} -E env DEB_BUILD_MAINT_OPTIONS=hardening=+all
              ${MICRO_ORDER_DPKG_BUILDFLAGS_PROGRAM} --get ${kind}
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
      OUTPUT_VARIABLE _flags OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
    separate_arguments(_flags UNIX_COMMAND "${_flags}")
    if(kind STREQUAL "LDFLAGS")
      add_link_options(${_flags})
    else()
      add_compile_options(${_flags})
    endif()
    message(STATUS "dpkg-buildflags ${kind} (hardening=+all): ${_flags}")
  endforeach()
endif()
