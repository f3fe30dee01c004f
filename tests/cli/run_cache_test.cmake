# The compiled-code cache of the boc command (docs/design.md, "Object
# cache"): a second run loads what the first stored and prints the same; a
# corrupt, truncated or foreign cache file is a miss; a cache directory that
# cannot be created, --no-cache and BOC_NO_CACHE=1 still run, storing nothing.
#
#   cmake -DBOC=path -DWORK=scratch-dir -DSCRIPT_A=a.boc -DSCRIPT_B=b.boc
#         -P run_cache_test.cmake
cmake_minimum_required(VERSION 3.25)
set(cache "${WORK}/cache")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# run(SCRIPT ENV OUT_VAR [extra args]): runs boc, fails on a non-zero status
# or any stderr, returns stdout.
function(run script env out_var)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${env} "${BOC}" ${ARGN} "${script}"
                  INPUT_FILE /dev/null RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE err TIMEOUT 60)
  if(NOT status STREQUAL "0" OR NOT err STREQUAL "")
    message(FATAL_ERROR "boc ${ARGN} ${script} (${env}): status ${status}\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

function(expect_same what actual expected)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "${what}: printed [${actual}], expected [${expected}]")
  endif()
endfunction()

function(cache_files out_var)
  file(GLOB files "${cache}/*.o")
  set(${out_var} "${files}" PARENT_SCOPE)
endfunction()

# Cold, then warm: the same output, and a file appeared.
run("${SCRIPT_A}" "BOC_CACHE_DIR=${cache}" cold_a)
cache_files(files)
list(LENGTH files count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one cache file after the first run, found: ${files}")
endif()
set(file_a "${files}")
run("${SCRIPT_A}" "BOC_CACHE_DIR=${cache}" warm_a)
expect_same("warm run" "${warm_a}" "${cold_a}")

# Foreign files: A's and B's objects swapped under each other's names.
run("${SCRIPT_B}" "BOC_CACHE_DIR=${cache}" cold_b)
cache_files(files)
list(REMOVE_ITEM files "${file_a}")
set(file_b "${files}")
file(RENAME "${file_a}" "${WORK}/swap")
file(RENAME "${file_b}" "${file_a}")
file(RENAME "${WORK}/swap" "${file_b}")
run("${SCRIPT_A}" "BOC_CACHE_DIR=${cache}" swapped_a)
expect_same("swapped cache file" "${swapped_a}" "${cold_a}")
run("${SCRIPT_B}" "BOC_CACHE_DIR=${cache}" swapped_b)
expect_same("swapped cache file" "${swapped_b}" "${cold_b}")

# Corrupt: garbage, then a file cut inside its header (CMake strings stop at
# the first NUL byte; tests/unit/object_cache_test.cpp corrupts the body).
file(WRITE "${file_a}" "not an object file")
run("${SCRIPT_A}" "BOC_CACHE_DIR=${cache}" garbage_a)
expect_same("garbage cache file" "${garbage_a}" "${cold_a}")
file(READ "${file_a}" bytes LIMIT 100)
file(WRITE "${file_a}" "${bytes}")
run("${SCRIPT_A}" "BOC_CACHE_DIR=${cache}" truncated_a)
expect_same("truncated cache file" "${truncated_a}" "${cold_a}")
run("${SCRIPT_A}" "BOC_CACHE_DIR=${cache}" rewritten_a)
expect_same("cache file rewritten" "${rewritten_a}" "${cold_a}")

# A directory that cannot be created: no cache, same output.
run("${SCRIPT_A}" "BOC_CACHE_DIR=/dev/null/boc-cache" uncreatable_a)
expect_same("uncreatable cache directory" "${uncreatable_a}" "${cold_a}")

# --no-cache and BOC_NO_CACHE=1 store nothing.
run("${SCRIPT_A}" "BOC_CACHE_DIR=${WORK}/off1" off_flag --no-cache)
run("${SCRIPT_A}" "BOC_CACHE_DIR=${WORK}/off2;BOC_NO_CACHE=1" off_env)
expect_same("--no-cache" "${off_flag}" "${cold_a}")
expect_same("BOC_NO_CACHE=1" "${off_env}" "${cold_a}")
file(GLOB stored "${WORK}/off1/*" "${WORK}/off2/*")
if(stored)
  message(FATAL_ERROR "the cache was written although turned off: ${stored}")
endif()
