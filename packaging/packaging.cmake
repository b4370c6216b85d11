# Packaging: the SDK's CMake package (find_package(MicroOrder)), the configs, systemd units and
# system user an installed host needs, and the CPack settings of the two Debian packages:
#
#   micro-order      micro-order-host, the plugins, /etc/micro-order, the units, the user
#   micro-order-dev  the SDK: headers and the MicroOrder CMake package, for plugin authors
#
#   cmake -S . -B build-pkg -DCMAKE_INSTALL_PREFIX=/usr && cmake --build build-pkg -j2
#   (cd build-pkg && cpack -G DEB)       # → build-pkg/packages/micro-order{,-dev}_<version>_<arch>.deb
#
# Included from the top-level CMakeLists.txt, after every target is defined.
include(CMakePackageConfigHelpers)

# The host and plugin install rules name no component, so they belong to CMake's default one,
# "Unspecified": that component is the micro-order package.
set(MICRO_ORDER_RUNTIME_COMPONENT Unspecified)

# Where the package puts things. CPack installs under /usr whatever CMAKE_INSTALL_PREFIX is;
# GNUInstallDirs only gives the multiarch library folder (lib/<triplet>) when the tree is
# configured with -DCMAKE_INSTALL_PREFIX=/usr, so build packages from such a tree.
set(MICRO_ORDER_PACKAGE_PREFIX /usr)
cmake_path(ABSOLUTE_PATH MICRO_ORDER_PLUGIN_INSTALL_DIR BASE_DIRECTORY ${MICRO_ORDER_PACKAGE_PREFIX}
  OUTPUT_VARIABLE MICRO_ORDER_PACKAGE_PLUGIN_DIR)
set(MICRO_ORDER_PACKAGE_CONFIG_DIR /etc/micro-order)
set(MICRO_ORDER_PACKAGE_STATE_DIR /var/lib/micro-order)
set(MICRO_ORDER_PACKAGE_UNIT_DIR /lib/systemd/system)
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "micro-order package: plugins go to ${MICRO_ORDER_PACKAGE_PLUGIN_DIR}; "
    "configure with -DCMAKE_INSTALL_PREFIX=/usr for the SDK's CMake files in the multiarch folder")
endif()

# --- The SDK's CMake package ----------------------------------------------------------------
# Installed (micro-order-dev) under <libdir>/cmake/MicroOrder, and exported from the build tree
# to <build>/MicroOrder so a plugin can be built against a build without installing it:
#   cmake -S my_plugin -B my_plugin/build -DMicroOrder_DIR=<build>/MicroOrder
set(_sdk_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/MicroOrder)
set(_sdk_build_dir ${CMAKE_BINARY_DIR}/MicroOrder)

set(MICRO_ORDER_CONFIG_PLUGIN_DIR ${MICRO_ORDER_PLUGIN_INSTALL_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/MicroOrderConfig.cmake.in
  ${CMAKE_BINARY_DIR}/packaging/MicroOrderConfig.cmake
  INSTALL_DESTINATION ${_sdk_cmake_dir}
  PATH_VARS MICRO_ORDER_CONFIG_PLUGIN_DIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/packaging/MicroOrderConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(EXPORT MicroOrderTargets NAMESPACE MicroOrder:: DESTINATION ${_sdk_cmake_dir}
  COMPONENT Development)
install(FILES
  ${CMAKE_BINARY_DIR}/packaging/MicroOrderConfig.cmake
  ${CMAKE_BINARY_DIR}/packaging/MicroOrderConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/MicroOrderPlugin.cmake
  DESTINATION ${_sdk_cmake_dir} COMPONENT Development)

set(MICRO_ORDER_CONFIG_PLUGIN_DIR ${MICRO_ORDER_PLUGIN_OUTPUT_DIR})
export(EXPORT MicroOrderTargets NAMESPACE MicroOrder:: FILE ${_sdk_build_dir}/MicroOrderTargets.cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/MicroOrderConfig.cmake.in
  ${_sdk_build_dir}/MicroOrderConfig.cmake
  INSTALL_DESTINATION ${_sdk_build_dir}
  INSTALL_PREFIX ${CMAKE_BINARY_DIR}
  PATH_VARS MICRO_ORDER_CONFIG_PLUGIN_DIR)
configure_file(${CMAKE_BINARY_DIR}/packaging/MicroOrderConfigVersion.cmake
  ${_sdk_build_dir}/MicroOrderConfigVersion.cmake COPYONLY)
configure_file(${PROJECT_SOURCE_DIR}/cmake/MicroOrderPlugin.cmake ${_sdk_build_dir}/MicroOrderPlugin.cmake COPYONLY)

# --- Installed configs: generated from etc/*.yaml -------------------------------------------
# Same files, with the package's paths: plugins from the package's folder, databases under
# /var/lib/micro-order. Re-generated whenever an etc/ file changes.
set(MICRO_ORDER_PACKAGE_CONFIGS micro-order orders shippings customers)
set(_installed_configs "")
foreach(name IN LISTS MICRO_ORDER_PACKAGE_CONFIGS)
  set(source ${PROJECT_SOURCE_DIR}/etc/${name}.yaml)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
  file(READ ${source} text)
  # The comment above plugin_path in micro-order.yaml explains the build's folder.
  string(REPLACE "This is where the build puts\n# plugin modules when built in build/ at the top of the source tree."
    "The package installs its plugins\n# there; list a folder of your own after it for plugins you add." text "${text}")
  string(REGEX REPLACE "(^|\n)plugin_path:[^\n]*" "\\1plugin_path: ${MICRO_ORDER_PACKAGE_PLUGIN_DIR}" text "${text}")
  string(REGEX REPLACE "path: \\.\\./var/" "path: ${MICRO_ORDER_PACKAGE_STATE_DIR}/" text "${text}")
  string(REGEX REPLACE "([ =])etc/([A-Za-z0-9_.-]+\\.yaml)" "\\1${MICRO_ORDER_PACKAGE_CONFIG_DIR}/\\2" text "${text}")
  # The broker URL and its password live in credentials/amqp-url, which the units hand over
  # with LoadCredential= (${CREDENTIALS_DIRECTORY}); by hand, the host reads the file itself.
  string(REGEX REPLACE "\n  url: amqp://[^\n]*"
    "\n  # The URL, password included, is in ${MICRO_ORDER_PACKAGE_CONFIG_DIR}/credentials/amqp-url (0640\n  # root:micro-order); the units pass it in with LoadCredential=amqp-url:, run by hand the host\n  # reads it there. MICRO_ORDER_AMQP_URL still overrides it.\n  url_file: \${CREDENTIALS_DIRECTORY:-credentials}/amqp-url"
    text "${text}")
  if(NOT text MATCHES "\n  url_file: ")
    message(FATAL_ERROR "packaging: etc/${name}.yaml has no `  url: amqp://...` line to replace with url_file")
  endif()
  string(PREPEND text
    "# Installed by the micro-order package (generated from etc/${name}.yaml of the source tree).\n"
    "# dpkg keeps your edits on upgrade. Instances of your own can also go in conf.d/*.yaml.\n#\n"
    "# The account the host runs as: started as root (by hand), it switches to it once its ports\n"
    "# are bound, before it opens a database or a plugin; the units start it as micro-order.\n"
    "user: micro-order\n\n")
  if(text MATCHES "\\.\\./|build/")
    message(WARNING "packaging: ${MICRO_ORDER_PACKAGE_CONFIG_DIR}/${name}.yaml, generated from "
      "etc/${name}.yaml, still names a path of the source tree; extend packaging/packaging.cmake")
  endif()
  set(output ${CMAKE_BINARY_DIR}/packaging/etc/${name}.yaml)
  file(CONFIGURE OUTPUT ${output} CONTENT "${text}" @ONLY)
  list(APPEND _installed_configs ${output})
endforeach()

# --- Files only the package installs ----------------------------------------------------------
# EXCLUDE_FROM_ALL: a plain `cmake --install` (headers, binaries, plugins under the prefix) never
# writes to /etc or /lib/systemd; CPack installs them with the package's component.
# 0640: the postinst gives them to group micro-order (the user exists only then); others read
# nothing of the configuration.
install(FILES ${_installed_configs} DESTINATION ${MICRO_ORDER_PACKAGE_CONFIG_DIR}
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
  COMPONENT ${MICRO_ORDER_RUNTIME_COMPONENT} EXCLUDE_FROM_ALL)
# The broker URL the configs name with url_file: the local broker's guest account until edited.
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/packaging/etc/credentials/amqp-url
  CONTENT "amqp://guest:guest@127.0.0.1:5672/\n")
install(FILES ${CMAKE_BINARY_DIR}/packaging/etc/credentials/amqp-url
  DESTINATION ${MICRO_ORDER_PACKAGE_CONFIG_DIR}/credentials
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
  COMPONENT ${MICRO_ORDER_RUNTIME_COMPONENT} EXCLUDE_FROM_ALL)
install(DIRECTORY DESTINATION ${MICRO_ORDER_PACKAGE_CONFIG_DIR}/conf.d
  COMPONENT ${MICRO_ORDER_RUNTIME_COMPONENT} EXCLUDE_FROM_ALL)
install(FILES
  ${CMAKE_CURRENT_LIST_DIR}/systemd/micro-order.service
  ${CMAKE_CURRENT_LIST_DIR}/systemd/micro-order@.service
  ${CMAKE_CURRENT_LIST_DIR}/systemd/micro-order.socket
  ${CMAKE_CURRENT_LIST_DIR}/systemd/micro-order@.socket
  DESTINATION ${MICRO_ORDER_PACKAGE_UNIT_DIR}
  COMPONENT ${MICRO_ORDER_RUNTIME_COMPONENT} EXCLUDE_FROM_ALL)
# The addresses of each shipped per-service config, for its micro-order@NAME.socket.
foreach(_instance customers orders shippings)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/systemd/micro-order@${_instance}.socket.d/listen.conf
    DESTINATION ${MICRO_ORDER_PACKAGE_UNIT_DIR}/micro-order@${_instance}.socket.d
    COMPONENT ${MICRO_ORDER_RUNTIME_COMPONENT} EXCLUDE_FROM_ALL)
endforeach()
install(FILES ${CMAKE_CURRENT_LIST_DIR}/sysusers.d/micro-order.conf DESTINATION lib/sysusers.d
  COMPONENT ${MICRO_ORDER_RUNTIME_COMPONENT} EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/micro-order
  COMPONENT ${MICRO_ORDER_RUNTIME_COMPONENT} EXCLUDE_FROM_ALL)

# Every file under /etc is a conffile: an upgrade never overwrites an edited one.
set(_conffiles "")
foreach(name IN LISTS MICRO_ORDER_PACKAGE_CONFIGS)
  string(APPEND _conffiles "${MICRO_ORDER_PACKAGE_CONFIG_DIR}/${name}.yaml\n")
endforeach()
string(APPEND _conffiles "${MICRO_ORDER_PACKAGE_CONFIG_DIR}/credentials/amqp-url\n")
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/packaging/debian/conffiles CONTENT "${_conffiles}")

# --- CPack: the two .debs -----------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME micro-order)
set(CPACK_PACKAGE_VENDOR micro-order)
set(CPACK_PACKAGE_CONTACT "micro-order maintainers <root@localhost>")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX ${MICRO_ORDER_PACKAGE_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/cpack_options.cmake)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${MICRO_ORDER_RUNTIME_COMPONENT} Development)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # dpkg-shlibdeps (dpkg-dev) adds the runtime libraries
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_NAME micro-order)
# Each package's description: its first line is the synopsis (cpack_options.cmake unsets
# CPACK_PACKAGE_DESCRIPTION_SUMMARY, which CPack would put above both).
string(CONCAT CPACK_COMPONENT_UNSPECIFIED_DESCRIPTION
  "${PROJECT_DESCRIPTION}\n"
  "micro-order-host runs the customers, orders and shippings REST services and the\n"
  "workflow consumers as plugins, with RabbitMQ between them and SQLite databases in\n"
  "/var/lib/micro-order. It runs under systemd as micro-order.service (all in one)\n"
  "or micro-order@NAME.service (one config of /etc/micro-order each).")
# The postinst creates the user with systemd-sysusers, or adduser without it.
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_DEPENDS "adduser | systemd")
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_SUGGESTS "rabbitmq-server")
set(CPACK_DEBIAN_UNSPECIFIED_PACKAGE_CONTROL_EXTRA
  ${CMAKE_CURRENT_LIST_DIR}/debian/postinst
  ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
  ${CMAKE_CURRENT_LIST_DIR}/debian/postrm
  ${CMAKE_BINARY_DIR}/packaging/debian/conffiles)

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME micro-order-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
string(CONCAT CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
  "micro-order plugin SDK\n"
  "Headers (micro_order/*.hpp) and the MicroOrder CMake package: find_package(MicroOrder)\n"
  "gives the MicroOrder::sdk target and micro_order_add_plugin(), to build a plugin for\n"
  "micro-order-host out of tree.")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
  "micro-order (= ${PROJECT_VERSION}), libpoco-dev (>= 1.11), libboost-dev (>= 1.74)")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SUGGESTS "cmake (>= 3.25), g++")

set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/var/")
include(CPack)
