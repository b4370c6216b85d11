# cmake -DSOURCE_DIR=… -DBINARY_DIR=… -DCXX_COMPILER=… -P expect_sanitizer_build_unhardened.cmake
#
# Configures the whole tree as scripts/test.sh --sanitize does, into a folder whose cache says
# MICRO_ORDER_HARDENING=ON (as one first configured without a sanitizer does), and passes only
# when the host library and a plugin (micro_order_add_plugin adds flags of its own) get the
# sanitizer's flags and none of the hardening ones: ASan and FORTIFY must not check the same
# calls twice, and security.BuiltBinariesAreHardened is not registered there.
file(REMOVE_RECURSE ${BINARY_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DMICRO_ORDER_SANITIZE=address -DMICRO_ORDER_HARDENING=ON
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "configuring the tree with MICRO_ORDER_SANITIZE=address failed:\n${output}")
endif()
set(failed FALSE)
foreach(target_dir host/CMakeFiles/micro_order_host.dir plugins/customers/CMakeFiles/customers_plugin.dir)
  file(READ ${BINARY_DIR}/${target_dir}/flags.make flags)
  file(READ ${BINARY_DIR}/${target_dir}/link.txt link)
  if(NOT flags MATCHES "-fsanitize=address")
    message("FAIL: ${target_dir}: no -fsanitize=address in its flags:\n${flags}")
    set(failed TRUE)
  endif()
  foreach(hardening -fstack-protector-strong -fstack-clash-protection _FORTIFY_SOURCE -g3 "z,now")
    if("${flags}${link}" MATCHES "${hardening}")
      message("FAIL: ${target_dir}: ${hardening} in a sanitizer build:\n${flags}\n${link}")
      set(failed TRUE)
    endif()
  endforeach()
endforeach()
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${BINARY_DIR} -N -R BuiltBinariesAreHardened
  OUTPUT_VARIABLE listed)
if(listed MATCHES "BuiltBinariesAreHardened")
  message("FAIL: the hardening check is registered in a sanitizer build")
  set(failed TRUE)
endif()
file(REMOVE_RECURSE ${BINARY_DIR})
if(failed)
  message(FATAL_ERROR "the sanitizer build is hardened (see above)")
endif()
message("ok: micro_order_host and customers_plugin carry -fsanitize=address and no hardening flag")
