# SPDX-License-Identifier: MIT
# `cmake --install BUILD [--prefix P]` (default prefix /usr/local) and the Debian packages
# (`cpack -G DEB` in BUILD). The layout, relative to P:
#   include/cgym.h                          the C ABI
#   LIBDIR/libcgym.so.VERSION, .so.ABI, .so the library and its SONAME links
#   LIBDIR/pkgconfig/cgym.pc                pkg-config --cflags --libs cgym
#   LIBDIR/cmake/cgym/                      find_package(cgym) -> cgym::cgym
#   libexec/cgym/                           the services (LLVM, and the C and C++ examples)
#                                           and the in-process plugins, found by libcgym
#   share/cgym/llvm/dataset/                the LLVM environment's bundled programs
# Components: "runtime" (library, services, dataset) and "development" (header, the .so
# link, pkg-config and CMake files), one Debian package each.
include(CMakePackageConfigHelpers)

set(cgym_libexec ${CMAKE_INSTALL_LIBEXECDIR}/cgym)
# What lives in libexec/cgym and links libcgym finds it in LIBDIR wherever the tree is put.
file(RELATIVE_PATH cgym_libexec_to_lib ${CMAKE_INSTALL_FULL_LIBEXECDIR}/cgym
  ${CMAKE_INSTALL_FULL_LIBDIR})
set(cgym_libexec_rpath "$ORIGIN/${cgym_libexec_to_lib}")

install(TARGETS cgym EXPORT cgymTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
    NAMELINK_COMPONENT development)
install(FILES include/cgym.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)

# Services and plugins. The C++ services link gRPC statically and need no rpath; those on
# libcgym.so get one to LIBDIR.
set(cgym_libexec_targets cgym-example-service-cc)
if(TARGET cgym-example-service)
  list(APPEND cgym_libexec_targets cgym-example-service cgym_example_plugin)
  set_target_properties(cgym-example-service cgym_example_plugin PROPERTIES
    INSTALL_RPATH "${cgym_libexec_rpath}")
endif()
if(CGYM_BUILD_LLVM)
  list(APPEND cgym_libexec_targets cgym-llvm-service cgym_llvm_plugin)
  set_target_properties(cgym_llvm_plugin PROPERTIES INSTALL_RPATH "${cgym_libexec_rpath}")
  install(FILES services/llvm/dataset/manifest.json services/llvm/dataset/README.md
    DESTINATION ${CMAKE_INSTALL_DATADIR}/cgym/llvm/dataset COMPONENT runtime)
  install(DIRECTORY services/llvm/dataset/programs
    DESTINATION ${CMAKE_INSTALL_DATADIR}/cgym/llvm/dataset COMPONENT runtime)
endif()
install(TARGETS ${cgym_libexec_targets}
  RUNTIME DESTINATION ${cgym_libexec} COMPONENT runtime
  LIBRARY DESTINATION ${cgym_libexec} COMPONENT runtime)

# pkg-config: prefix relative to the .pc file, so that the same file is right under
# /usr/local, a --prefix of one's own and the Debian package's /usr.
file(RELATIVE_PATH cgym_pc_to_prefix ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
  ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" cgym_pc_to_prefix "${cgym_pc_to_prefix}")
configure_file(cmake/cgym.pc.in ${CMAKE_CURRENT_BINARY_DIR}/cgym.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cgym.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)

# CMake package: find_package(cgym [VERSION]) gives the imported target cgym::cgym.
set(cgym_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/cgym)
install(EXPORT cgymTargets NAMESPACE cgym:: DESTINATION ${cgym_cmake_dir}
  COMPONENT development)
configure_package_config_file(cmake/cgymConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/cgymConfig.cmake INSTALL_DESTINATION ${cgym_cmake_dir})
# Before 1.0, a minor version may break the API (cgym.h, "VERSIONING").
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/cgymConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cgymConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/cgymConfigVersion.cmake
  DESTINATION ${cgym_cmake_dir} COMPONENT development)

# Debian packages: libcgym<ABI> (runtime) and libcgym-dev, their library dependencies found
# by dpkg-shlibdeps. `cpack -G DEB` in the build directory writes them there.
set(CPACK_PACKAGE_NAME libcgym)
set(CPACK_PACKAGE_VENDOR "libcgym")
set(CPACK_PACKAGE_CONTACT "libcgym developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "CompilerGym-compatible compiler environments behind a C ABI")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps must find libcgym itself (the plugins and the C service link it) in the
# package being built, not on the system.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_CURRENT_BINARY_DIR})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libcgym${CGYM_ABI_VERSION})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# clang compiles benchmarks from sources and validates optimised programs.
if(CGYM_BUILD_LLVM)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "clang-${CGYM_LLVM_VERSION}")
endif()
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libcgym-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
  "libcgym${CGYM_ABI_VERSION} (= ${PROJECT_VERSION})")
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS runtime)
include(CPack)
