# cmake -DSOURCE_DIR=… -DBINARY_DIR=… -DMICRO_ORDER_SOURCE_DIR=… -DCXX_COMPILER=… -P expect_boundary_violation.cmake
#
# Configures boundary_violation/ and passes only when the configure fails naming each module that
# reaches into its host, and not the one that keeps to the SDK.
file(REMOVE_RECURSE ${BINARY_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -DMICRO_ORDER_SOURCE_DIR=${MICRO_ORDER_SOURCE_DIR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(result EQUAL 0)
  message(FATAL_ERROR "configuring a project whose plugins reach into the host succeeded")
endif()
foreach(expected
    "plugin module through_domain reaches into the host through host_internals"
    "plugin module own_include reaches into the host:"
    "plugin module host_source reaches into the host:")
  string(FIND "${output}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected \"${expected}\" in the output")
  endif()
endforeach()
if(output MATCHES "keeps_the_rule")
  message(FATAL_ERROR "keeps_the_rule links only the SDK, yet it was named")
endif()
