# Runs one fixture case: copies tests/cases/<name>/ (less args, expected/
# and fixtures) into a fresh work folder, copies the audio fixtures it
# names, runs "podpub <args>" there and compares stdout, stderr, the exit
# status and every file under expected/files/ with what podpub produced.
#
# A case folder holds:
#   args            the command line after "podpub" (shell-like words)
#   fixtures        optional; lines "<file in tests/fixtures> <dest>"
#   setup.sh        optional; run with sh in the work folder first
#   expected/status     the exit status (default 0)
#   expected/stdout     optional; must match exactly
#   expected/stderr     must match exactly (absent: stderr must be empty)
#   expected/files/...  files that must exist with exactly this content
#   expected/absent     optional; paths that must not exist afterwards
#
# Variables: PODPUB, CASE_DIR, WORK_DIR, FIXTURE_DIR.
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(GLOB entries RELATIVE "${CASE_DIR}" "${CASE_DIR}/*")
foreach(e IN LISTS entries)
    if(NOT e MATCHES "^(args|expected|fixtures|setup\\.sh)$")
        file(COPY "${CASE_DIR}/${e}" DESTINATION "${WORK_DIR}")
    endif()
endforeach()

if(EXISTS "${CASE_DIR}/fixtures")
    file(STRINGS "${CASE_DIR}/fixtures" lines ENCODING UTF-8)
    foreach(line IN LISTS lines)
        separate_arguments(pair UNIX_COMMAND "${line}")
        list(GET pair 0 src)
        list(GET pair 1 dest)
        get_filename_component(dest_dir "${WORK_DIR}/${dest}" DIRECTORY)
        file(MAKE_DIRECTORY "${dest_dir}")
        file(COPY_FILE "${FIXTURE_DIR}/${src}" "${WORK_DIR}/${dest}")
    endforeach()
endif()

if(EXISTS "${CASE_DIR}/setup.sh")
    execute_process(COMMAND sh "${CASE_DIR}/setup.sh"
                    WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "setup.sh failed: ${rc}")
    endif()
endif()

file(READ "${CASE_DIR}/args" args)
string(STRIP "${args}" args)
separate_arguments(args UNIX_COMMAND "${args}")
# A fixed zone and locale: the feed must not depend on them, and the
# expected output was recorded so.
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env TZ=UTC LC_ALL=C.UTF-8 NO_COLOR=1
            "${PODPUB}" ${args}
    WORKING_DIRECTORY "${WORK_DIR}"
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE status
    TIMEOUT 60)

set(failed FALSE)
function(report what)
    message(SEND_ERROR "${what}")
    set(failed TRUE PARENT_SCOPE)
endfunction()

set(want_status 0)
if(EXISTS "${CASE_DIR}/expected/status")
    file(READ "${CASE_DIR}/expected/status" want_status)
    string(STRIP "${want_status}" want_status)
endif()
if(NOT "${status}" STREQUAL "${want_status}")
    report("exit status ${status}, want ${want_status}\nstderr:\n${err}")
endif()

set(want_err "")
if(EXISTS "${CASE_DIR}/expected/stderr")
    file(READ "${CASE_DIR}/expected/stderr" want_err)
endif()
if(NOT err STREQUAL want_err)
    report("stderr differs.\n--- got:\n${err}--- want:\n${want_err}")
endif()

if(EXISTS "${CASE_DIR}/expected/stdout")
    file(READ "${CASE_DIR}/expected/stdout" want_out)
    if(NOT out STREQUAL want_out)
        report("stdout differs.\n--- got:\n${out}--- want:\n${want_out}")
    endif()
endif()

file(GLOB_RECURSE want_files RELATIVE "${CASE_DIR}/expected/files"
     "${CASE_DIR}/expected/files/*")
foreach(f IN LISTS want_files)
    if(NOT EXISTS "${WORK_DIR}/${f}")
        report("${f} was not written")
        continue()
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
                    "${CASE_DIR}/expected/files/${f}" "${WORK_DIR}/${f}"
                    RESULT_VARIABLE differ)
    if(differ)
        execute_process(COMMAND diff -u "${CASE_DIR}/expected/files/${f}"
                        "${WORK_DIR}/${f}" OUTPUT_VARIABLE d)
        report("${f} differs from expected:\n${d}")
    endif()
endforeach()

if(EXISTS "${CASE_DIR}/expected/absent")
    file(STRINGS "${CASE_DIR}/expected/absent" absent ENCODING UTF-8)
    foreach(f IN LISTS absent)
        if(EXISTS "${WORK_DIR}/${f}")
            report("${f} exists but must not")
        endif()
    endforeach()
endif()

if(failed)
    message(FATAL_ERROR "case failed (work folder: ${WORK_DIR})")
endif()
