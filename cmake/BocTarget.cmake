# Common settings for every Boc target: C++20, warnings, sanitizers, linker.
include(CheckLinkerFlag)

# lld links the static LLVM libraries several times faster than ld.bfd.
check_linker_flag(CXX "-fuse-ld=lld" BOC_HAVE_LLD)

set(BOC_SANITIZE_FLAGS "")
if(BOC_SANITIZE STREQUAL "address")
  set(BOC_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
elseif(BOC_SANITIZE STREQUAL "thread")
  set(BOC_SANITIZE_FLAGS -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT BOC_SANITIZE STREQUAL "")
  message(FATAL_ERROR "BOC_SANITIZE must be '', 'address' or 'thread'")
endif()

function(boc_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra ${BOC_SANITIZE_FLAGS})
  # GCC 12 reports `"text" + std::string` as an overlapping memcpy (GCC bug
  # 105329, a false -Wrestrict); fixed in GCC 13.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  # The sanitizers' instrumentation makes GCC's -Wmaybe-uninitialized report
  # false positives inside LLVM's inlined headers (APInt copies).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT BOC_SANITIZE STREQUAL "")
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  target_link_options(${target} PRIVATE ${BOC_SANITIZE_FLAGS})
  if(BOC_HAVE_LLD)
    target_link_options(${target} PRIVATE -fuse-ld=lld)
  endif()
endfunction()
