# What `cmake --install` puts under the prefix, and the Debian packages CPack builds from it.
#   runtime:     bin/cakupan, share/cakupan/models, share/doc/cakupan, share/man/man1/cakupan.1
#   development: include/cakupan, lib/libcakupan_core.a, lib/cmake/cakupan (find_package(cakupan))
include(CMakePackageConfigHelpers)

install(TARGETS cakupan RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/ DESTINATION ${CMAKE_INSTALL_DATADIR}/cakupan/models
  COMPONENT runtime FILES_MATCHING PATTERN "*.toml")
# The README links docs/*.md; the same layout keeps its links working.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
  COMPONENT runtime FILES_MATCHING PATTERN "*.md")

# The man page comes from the program's own --help texts (cmake/man_page.cmake).
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/cakupan.1
  COMMAND ${CMAKE_COMMAND} -DCAKUPAN=$<TARGET_FILE:cakupan> -DVERSION=${PROJECT_VERSION}
          -DOUT=${PROJECT_BINARY_DIR}/cakupan.1 -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
  DEPENDS cakupan ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
  COMMENT "Writing the man page cakupan.1 from cakupan --help")
add_custom_target(cakupan_man ALL DEPENDS ${PROJECT_BINARY_DIR}/cakupan.1)
install(FILES ${PROJECT_BINARY_DIR}/cakupan.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)

# The library: cakupan::core with its public headers and a package config.
install(TARGETS cakupan_core EXPORT cakupanTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/cakupan DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)
set(CAKUPAN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cakupan)
install(EXPORT cakupanTargets NAMESPACE cakupan:: DESTINATION ${CAKUPAN_CMAKE_DIR} COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cakupanConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cakupanConfig.cmake INSTALL_DESTINATION ${CAKUPAN_CMAKE_DIR})
# 0.x: a minor version may change the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cakupanConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cakupanConfig.cmake ${PROJECT_BINARY_DIR}/cakupanConfigVersion.cmake
  DESTINATION ${CAKUPAN_CMAKE_DIR} COMPONENT development)

# Debian packages: cakupan (the program; library dependencies from dpkg-shlibdeps, plus the font
# every map and chart is drawn with) and cakupan-dev (the library, and the -dev packages its
# package config finds).
set(CPACK_PACKAGE_NAME cakupan)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "social-security coverage across regions: simulate, forecast, map")
set(CPACK_PACKAGE_CONTACT "Cakupan maintainers" CACHE STRING "Maintainer field of the Debian packages")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME cakupan)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "fonts-dejavu-core")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME cakupan-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(cakupan_dev_depends "cakupan (= ${PROJECT_VERSION}), libeigen3-dev (>= 3.4), libgdal-dev, libcairo2-dev, libsleef-dev, pkg-config, libssl-dev, libtomlplusplus-dev, nlohmann-json3-dev")
if(CAKUPAN_WITH_MPI)
  string(APPEND cakupan_dev_depends ", libopenmpi-dev")
endif()
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "${cakupan_dev_depends}")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "Projects social-security (BPJS Ketenagakerjaan) coverage across Indonesian regions: scenarios, maps, reports, sensitivity studies.")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION "The Cakupan engine as a static C++20 library (cakupan::core) with headers and CMake package config.")
include(CPack)
