# Installing Boc: the public header, the libraries, a CMake package
# (find_package(Boc) -> Boc::boc), a pkg-config file (boc.pc) and the boc
# command; plus the CTest test that builds samples/embed against the result.
#
# Design note: Boc::boc is a static library whose stages (boc_parse,
# boc_codegen...) are static libraries too, linked privately. A consumer of a
# static archive must still link its dependencies, so every stage library is
# installed and exported alongside (as Boc::boc_<stage>); only boc.hpp is
# installed, so hosts never see a stage header or LLVM's. LLVM's static
# libraries are not copied: BocConfig.cmake finds the same LLVM installation
# (find_dependency), whose exported targets the stage libraries name.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
# compiler/ found LLVM in its own scope; its version and paths are needed here.
find_package(LLVM 19.1 REQUIRED CONFIG HINTS ${LLVM_DIR} /usr/lib/llvm-19/lib/cmake/llvm)

set(BOC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Boc)
# Everything a host build needs is the "Boc_Development" component; the
# package test installs only that, so it needs nothing but the libraries.
set(BOC_STAGE_LIBRARIES boc_ast boc_lex boc_parse boc_resolve boc_runtime boc_stdlib boc_codegen
                        boc_jit)

install(FILES ${PROJECT_SOURCE_DIR}/include/boc/boc.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/boc COMPONENT Boc_Development)
install(TARGETS boc ${BOC_STAGE_LIBRARIES}
        EXPORT BocTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Boc_Development
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT BocTargets NAMESPACE Boc:: DESTINATION ${BOC_INSTALL_CMAKEDIR}
        COMPONENT Boc_Development)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/BocConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/BocConfig.cmake
                              INSTALL_DESTINATION ${BOC_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/BocConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/BocConfig.cmake ${PROJECT_BINARY_DIR}/BocConfigVersion.cmake
        DESTINATION ${BOC_INSTALL_CMAKEDIR} COMPONENT Boc_Development)

# pkg-config: static archives in link order, then LLVM as its one shared
# library (the component archives would need their own dependency closure).
set(BOC_PC_LIBS "-lboc -lboc_parse -lboc_lex -lboc_resolve -lboc_codegen -lboc_jit -lboc_stdlib")
string(APPEND BOC_PC_LIBS " -lboc_runtime -lboc_ast -L${LLVM_LIBRARY_DIR} -lLLVM-${LLVM_VERSION_MAJOR}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/boc.pc.in ${PROJECT_BINARY_DIR}/boc.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/boc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT Boc_Development)

if(TARGET boc_cli)
  install(TARGETS boc_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT Boc_Runtime)
endif()

# The package test: install the development component into the build tree,
# then configure, build and run samples/embed against it, as a host would.
if(BOC_BUILD_TESTS)
  add_test(NAME embed/package
           COMMAND ${CMAKE_COMMAND}
                   -DBOC_BUILD_DIR=${PROJECT_BINARY_DIR}
                   -DBOC_SOURCE_DIR=${PROJECT_SOURCE_DIR}
                   -DWORK_DIR=${PROJECT_BINARY_DIR}/embed-package-test
                   -DGENERATOR=${CMAKE_GENERATOR}
                   -DCXX=${CMAKE_CXX_COMPILER}
                   -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
                   "-DSANITIZE_FLAGS=${BOC_SANITIZE_FLAGS}"
                   -DUSE_LLD=${BOC_HAVE_LLD}
                   -P ${CMAKE_CURRENT_LIST_DIR}/BocPackageTest.cmake)
  set_tests_properties(embed/package PROPERTIES TIMEOUT 300 LABELS "embed;package")
endif()
