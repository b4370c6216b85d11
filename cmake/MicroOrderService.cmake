# micro_order_add_service(<name> DOMAIN <sources...> TESTS <sources...>)
#
# One REST service plugin of this tree: the static library <name>_domain (domain, repository,
# handlers; also linked by the consumers plugin), the module <name>.so built from
# <name>_plugin.cpp, and the unit tests <name>_test beside the code.
function(micro_order_add_service name)
  cmake_parse_arguments(ARG "" "" "DOMAIN;TESTS" ${ARGN})
  add_library(${name}_domain STATIC ${ARG_DOMAIN})
  target_include_directories(${name}_domain PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/..)
  target_link_libraries(${name}_domain PUBLIC
    MicroOrder::sdk micro_order_rest micro_order_workflow Poco::JSON Poco::Data Poco::Foundation)
  set_target_properties(${name}_domain PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)

  micro_order_add_plugin(${name}_plugin OUTPUT_NAME ${name} SOURCES ${name}_plugin.cpp LIBRARIES ${name}_domain)

  add_executable(${name}_test ${ARG_TESTS})
  target_link_libraries(${name}_test PRIVATE ${name}_domain micro_order_rest_testing GTest::gtest_main)
  # The repository, handler and OpenAPI suites run on both connectors.
  micro_order_discover_unit_tests(${name}_test POSTGRESQL)
endfunction()
