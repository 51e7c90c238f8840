# `cmake --install build [--prefix P]`: osharness with what it loads from its own folder (the
# rayos schema, the accelerator probe kernel, rayos.elf when built), the JSON Schemas of specs and
# report.json, the docs, and a CMake package (lib/cmake/osharness) with which another project
# adds osharness campaigns as CTest tests.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS osharness EXPORT osharnessTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# osharness finds these beside itself (harness/base/paths.h: install_dir()).
install(FILES ${PROJECT_SOURCE_DIR}/os/rayos.schema.json DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_BINARY_DIR}/bin/osh-accel-probe.elf ${CMAKE_BINARY_DIR}/bin/rayos.elf
        DESTINATION ${CMAKE_INSTALL_BINDIR} OPTIONAL)
# The JSON Schemas of specs and report.json (report.json's "$schema" is the $id of its schema).
install(FILES ${PROJECT_SOURCE_DIR}/schemas/spec.schema.json
              ${PROJECT_SOURCE_DIR}/schemas/report.schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/osharness/schemas)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(OSH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/osharness)
install(EXPORT osharnessTargets NAMESPACE osharness:: DESTINATION ${OSH_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/osharnessConfig.cmake.in
  ${CMAKE_BINARY_DIR}/cmake/osharnessConfig.cmake INSTALL_DESTINATION ${OSH_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/osharnessConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/osharnessConfig.cmake
              ${CMAKE_BINARY_DIR}/cmake/osharnessConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/OsharnessCampaign.cmake
        DESTINATION ${OSH_CMAKE_DIR})
