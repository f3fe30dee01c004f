# The package test (cmake -P): install Boc's development component into
# WORK_DIR/prefix, configure and build samples/embed against it with
# find_package(Boc), run the host program and check its output. Also checks
# that docs/embedding.md quotes samples/embed/main.cpp verbatim, so the
# documented example is the tested one.
cmake_minimum_required(VERSION 3.25)

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${what} failed (${status}):\n${out}")
  endif()
  set(STEP_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
run_step("install" ${CMAKE_COMMAND} --install ${BOC_BUILD_DIR} --prefix ${prefix}
         --component Boc_Development)

foreach(file include/boc/boc.hpp lib/cmake/Boc/BocConfig.cmake lib/cmake/Boc/BocConfigVersion.cmake
             lib/pkgconfig/boc.pc lib/libboc.a)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()

# Sanitizer builds: the host program links instrumented archives.
string(REPLACE ";" " " flags "${SANITIZE_FLAGS}")
set(link_flags "${flags}")
if(USE_LLD)
  string(APPEND link_flags " -fuse-ld=lld")  # links LLVM's archives much faster
endif()
run_step("configure samples/embed" ${CMAKE_COMMAND} -S ${BOC_SOURCE_DIR}/samples/embed
         -B ${WORK_DIR}/build -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX}
         -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_PREFIX_PATH=${prefix}
         "-DCMAKE_CXX_FLAGS=${flags}" "-DCMAKE_EXE_LINKER_FLAGS=${link_flags}")
run_step("build samples/embed" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run_step("run samples/embed" ${WORK_DIR}/build/app)

file(READ ${BOC_SOURCE_DIR}/samples/embed/expected.out expected)
if(NOT STEP_OUTPUT STREQUAL expected)
  message(FATAL_ERROR "samples/embed printed:\n${STEP_OUTPUT}\nexpected:\n${expected}")
endif()

file(READ ${BOC_SOURCE_DIR}/samples/embed/main.cpp sample)
file(READ ${BOC_SOURCE_DIR}/docs/embedding.md doc)
string(FIND "${doc}" "${sample}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "docs/embedding.md does not quote samples/embed/main.cpp verbatim")
endif()
message(STATUS "samples/embed built against the installed package and printed the expected output")
