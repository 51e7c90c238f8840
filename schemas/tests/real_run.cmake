# A small real campaign (a pass, a guest crash with frames and a repro bundle, in-guest tests),
# then its report.json against the schema it names in "$schema", and again once
# `osharness report` has written it anew from the journal. Run with
#   cmake -DOSHARNESS=<bin/osharness> -DVALIDATE=<scripts/validate-json> -DSOURCE=<repo>
#         -DOUT=<scratch folder> -P real_run.cmake
foreach(var OSHARNESS VALIDATE SOURCE OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "real_run.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${OSHARNESS} run ${SOURCE}/demo/hello.json
                        ${SOURCE}/demo/failures/fault.json ${SOURCE}/os/tests/selftest.json
                        --repeat 2 --out ${OUT}/run --overwrite --quiet
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
# 2: the planted crash, and nothing worse.
if(NOT code EQUAL 2)
  message(FATAL_ERROR "the campaign exited ${code}, expected 2 (CRASH):\n${out}${err}")
endif()
function(validate what)
  execute_process(COMMAND ${VALIDATE} ${OUT}/run/report.json RESULT_VARIABLE code
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${what} report.json does not follow schemas/report.schema.json:\n"
                        "${out}${err}")
  endif()
endfunction()
validate("the campaign's")
file(REMOVE ${OUT}/run/report.json)
execute_process(COMMAND ${OSHARNESS} report ${OUT}/run
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 2 OR NOT EXISTS ${OUT}/run/report.json)
  message(FATAL_ERROR "osharness report exited ${code}, expected 2 and a new report.json:\n"
                      "${out}${err}")
endif()
validate("osharness report's")
