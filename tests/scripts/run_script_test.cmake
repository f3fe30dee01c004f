# Runs one script test and checks it against the files beside it.
#
#   cmake -DBOC=/path/to/boc -DSCRIPT=/path/to/feature/name.boc [-DTIMEOUT=60]
#         -P run_script_test.cmake
#
# The script runs as `boc [FLAGS...] name.boc [ARGS...]` from its own folder, so
# error messages name it `name.boc`. Files beside it, all optional:
#   name.flags  command-line options put before the script path, one a line
#   name.args   script arguments put after the script path, one a line
#               (both: no ';' '[' ']' inside an argument, empty lines skipped)
#   name.in     fed to standard input (otherwise stdin is empty)
#   name.out    stdout, compared byte for byte (missing: stdout must be empty)
#   name.err    every non-empty line must occur somewhere in stderr
#               (missing: stderr must be empty)
#   name.code   the exit status (missing: 0)
# Any mismatch ends this script with FATAL_ERROR, which fails the CTest test.
# Only CMake is needed at test time: no shell, no Python.
cmake_minimum_required(VERSION 3.25)

foreach(var BOC SCRIPT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_script_test.cmake: pass -D${var}=...")
  endif()
endforeach()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 60)
endif()
if(NOT EXISTS "${BOC}")
  message(FATAL_ERROR "boc binary not found: ${BOC}")
endif()

cmake_path(GET SCRIPT PARENT_PATH dir)
cmake_path(GET SCRIPT FILENAME file)
cmake_path(GET SCRIPT STEM LAST_ONLY stem)
set(base "${dir}/${stem}")

# Reads a file of one item per line into a CMake list, skipping empty lines.
function(read_lines path out_var)
  set(items "")
  if(EXISTS "${path}")
    # ENCODING UTF-8: by default file(STRINGS) drops non-ASCII bytes.
    file(STRINGS "${path}" items ENCODING UTF-8)
  endif()
  set(${out_var} "${items}" PARENT_SCOPE)
endfunction()

read_lines("${base}.flags" flags)
read_lines("${base}.args" args)
set(input /dev/null)
if(EXISTS "${base}.in")
  set(input "${base}.in")
endif()

execute_process(
  COMMAND "${BOC}" ${flags} "${file}" ${args}
  WORKING_DIRECTORY "${dir}"
  INPUT_FILE "${input}"
  OUTPUT_VARIABLE actual_out
  ERROR_VARIABLE actual_err
  RESULT_VARIABLE actual_code
  TIMEOUT ${TIMEOUT})

# Expected values.
set(expected_out "")
if(EXISTS "${base}.out")
  file(READ "${base}.out" expected_out)
endif()
set(expected_code 0)
if(EXISTS "${base}.code")
  file(READ "${base}.code" expected_code)
  string(STRIP "${expected_code}" expected_code)
endif()

set(problems "")

# Exit status. RESULT_VARIABLE holds a number, or a text such as
# "Segmentation fault" or "Process terminated due to timeout".
if(NOT actual_code STREQUAL expected_code)
  string(APPEND problems "exit status: expected ${expected_code}, got '${actual_code}'\n")
endif()

# stdout, byte for byte; report the first line that differs.
if(NOT actual_out STREQUAL expected_out)
  set(rest_e "${expected_out}")
  set(rest_a "${actual_out}")
  set(line_no 1)
  while(TRUE)
    string(FIND "${rest_e}" "\n" ne)
    string(FIND "${rest_a}" "\n" na)
    if(ne EQUAL -1)
      set(le "${rest_e}")
    else()
      string(SUBSTRING "${rest_e}" 0 ${ne} le)
    endif()
    if(na EQUAL -1)
      set(la "${rest_a}")
    else()
      string(SUBSTRING "${rest_a}" 0 ${na} la)
    endif()
    if(NOT le STREQUAL la OR ne EQUAL -1 OR na EQUAL -1)
      break()
    endif()
    math(EXPR ne "${ne} + 1")
    math(EXPR na "${na} + 1")
    string(SUBSTRING "${rest_e}" ${ne} -1 rest_e)
    string(SUBSTRING "${rest_a}" ${na} -1 rest_a)
    math(EXPR line_no "${line_no} + 1")
  endwhile()
  string(APPEND problems "stdout differs from ${stem}.out at line ${line_no}:\n"
         "  expected: [${le}]\n  actual:   [${la}]\n"
         "---- expected stdout ----\n${expected_out}"
         "---- actual stdout ----\n${actual_out}----\n")
endif()

# stderr: each non-empty line of the .err file is a substring of stderr.
if(EXISTS "${base}.err")
  file(READ "${base}.err" expected_err)
  while(NOT expected_err STREQUAL "")
    string(FIND "${expected_err}" "\n" nl)
    if(nl EQUAL -1)
      set(want "${expected_err}")
      set(expected_err "")
    else()
      string(SUBSTRING "${expected_err}" 0 ${nl} want)
      math(EXPR nl "${nl} + 1")
      string(SUBSTRING "${expected_err}" ${nl} -1 expected_err)
    endif()
    string(REGEX REPLACE "\r$" "" want "${want}")
    if(NOT want STREQUAL "")
      string(FIND "${actual_err}" "${want}" at)
      if(at EQUAL -1)
        string(APPEND problems "stderr lacks: [${want}]\n")
      endif()
    endif()
  endwhile()
elseif(NOT actual_err STREQUAL "")
  string(APPEND problems "stderr should be empty (no ${stem}.err)\n")
endif()

if(NOT problems STREQUAL "")
  string(JOIN " " shown_args ${flags} ${file} ${args})
  # NOTICE prints the text as is; FATAL_ERROR would reflow it.
  message(NOTICE "FAILED: (cd ${dir} && boc ${shown_args})\n${problems}"
                 "---- stderr ----\n${actual_err}----")
  message(FATAL_ERROR "script test ${stem} failed")
endif()
