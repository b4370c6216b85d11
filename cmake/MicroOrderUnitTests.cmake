# micro_order_discover_unit_tests(<test target> [POSTGRESQL])
#
# gtest_discover_tests for the unit tests beside the code. With POSTGRESQL (suites that run on
# both connectors, host/testing's TestDatabase), the tests require the ctest fixture `postgresql`
# (this build folder's throwaway cluster, tests/CMakeLists.txt) and get its URL in
# MICRO_ORDER_TEST_POSTGRESQL_URL. The plugins are configured before tests/, so the URL is
# derived here the way tests/CMakeLists.txt derives it: from the hash of the tests' build folder.
include(GoogleTest)
string(MD5 _micro_order_unit_hash "${CMAKE_BINARY_DIR}/tests")
string(SUBSTRING ${_micro_order_unit_hash} 0 8 _micro_order_unit_hash)
math(EXPR _micro_order_unit_pg_port "40000 + 0x${_micro_order_unit_hash} % 20000")
set(MICRO_ORDER_UNIT_TEST_POSTGRESQL_URL "postgresql://postgres@127.0.0.1:${_micro_order_unit_pg_port}/postgres")

function(micro_order_discover_unit_tests target)
  cmake_parse_arguments(ARG "POSTGRESQL" "" "" ${ARGN})
  if(ARG_POSTGRESQL)
    gtest_discover_tests(${target} PROPERTIES
      FIXTURES_REQUIRED postgresql
      ENVIRONMENT "MICRO_ORDER_TEST_POSTGRESQL_URL=${MICRO_ORDER_UNIT_TEST_POSTGRESQL_URL}")
  else()
    gtest_discover_tests(${target})
  endif()
endfunction()
