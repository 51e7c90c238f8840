# The spec loader refuses each broken spec the schema refuses (test data/*.json), naming the field,
# and takes the one that names its schema. Run with
#   cmake -DOSHARNESS=<bin/osharness> -DDATA=<data folder> -P loader_agrees.cmake
foreach(var OSHARNESS DATA)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "loader_agrees.cmake: -D${var}=... is required")
  endif()
endforeach()

# file, then what the loader's error must say
set(broken
  unknown_key "guest.qemu.machin: unknown field"
  unknown_top_key "criterias: unknown field"
  wrong_type "repeat: expected an integer"
  wrong_enum "guest.qemu.accel: expected"
  wrong_fault "faults.list[0].duration_s: a pause fault needs a duration")
list(LENGTH broken n)
math(EXPR last "${n} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET broken ${i} name)
  list(GET broken ${j} expected)
  execute_process(COMMAND ${OSHARNESS} run --list ${DATA}/${name}.json
                  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(FIND "${err}" "${expected}" at)
  if(NOT code EQUAL 65 OR at EQUAL -1)
    message(FATAL_ERROR "osharness run --list ${name}.json: exit ${code} (expected 65), and the "
                        "error should say \"${expected}\":\n${out}${err}")
  endif()
endforeach()

execute_process(COMMAND ${OSHARNESS} run --list ${DATA}/names_its_schema.json
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0 OR NOT out MATCHES "names_its_schema")
  message(FATAL_ERROR "osharness run --list names_its_schema.json: exit ${code}, expected 0 and "
                      "the spec listed:\n${out}${err}")
endif()
