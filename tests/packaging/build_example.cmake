# Configures and builds a plugin example as its own CMake project, against the SDK this build
# tree exports (find_package(MicroOrder) with MicroOrder_DIR), the way a plugin author would.
#
#   cmake -DSOURCE_DIR=examples/order_summary -DBINARY_DIR=... -DMICRO_ORDER_DIR=<build>/MicroOrder
#         -DCXX_COMPILER=... -DEXPECTED=order_summary.so -P build_example.cmake
foreach(var SOURCE_DIR BINARY_DIR MICRO_ORDER_DIR CXX_COMPILER EXPECTED)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "build_example.cmake: -D${var}=... is missing")
  endif()
endforeach()

file(REMOVE_RECURSE ${BINARY_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR}
    -DMicroOrder_DIR=${MICRO_ORDER_DIR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
    "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Werror"
  COMMAND_ECHO STDOUT
  RESULT_VARIABLE result)
if(result)
  message(FATAL_ERROR "configuring ${SOURCE_DIR} against ${MICRO_ORDER_DIR} failed (${result})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} COMMAND_ECHO STDOUT RESULT_VARIABLE result)
if(result)
  message(FATAL_ERROR "building ${SOURCE_DIR} failed (${result})")
endif()
if(NOT EXISTS ${BINARY_DIR}/${EXPECTED})
  message(FATAL_ERROR "the build of ${SOURCE_DIR} did not make ${BINARY_DIR}/${EXPECTED}")
endif()
message(STATUS "built ${BINARY_DIR}/${EXPECTED}")
