# Read by cpack (CPACK_PROJECT_CONFIG_FILE) after CPackConfig.cmake.
#
# CPack's DEB generator writes the project's one-line summary above every package's description;
# without it, each component's description starts with its own synopsis line.
unset(CPACK_PACKAGE_DESCRIPTION_SUMMARY)
