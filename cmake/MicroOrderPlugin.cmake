# micro_order_add_plugin(<target> OUTPUT_NAME <file stem> SOURCES ... [LIBRARIES ...])
#
# Declares a plugin module: a shared library loaded by micro-order-host, named <file stem>.so in
# the build's plugins/ folder, with hidden symbols (only MICRO_ORDER_PLUGIN exports) and every
# symbol resolved at link time so a missing one fails the build, not the host at run time.
function(micro_order_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_NAME" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE MicroOrder::sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    LIBRARY_OUTPUT_DIRECTORY ${MICRO_ORDER_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  # Loaded into the host's process: as hardened as the host (cmake/Hardening.cmake there), also
  # in a plugin's own project; not in a sanitizer build (MICRO_ORDER_HARDENING=OFF there).
  if(NOT DEFINED MICRO_ORDER_HARDENING OR MICRO_ORDER_HARDENING)
    target_compile_options(${target} PRIVATE -fstack-protector-strong
      "$<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>")
    target_link_options(${target} PRIVATE -Wl,-z,relro,-z,now)
  endif()
  if(NOT MICRO_ORDER_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION ${MICRO_ORDER_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
