# osharness_add_campaign(<name> SPEC <spec.json>... [LABELS <labels...>] [TIMEOUT s]
#                        [OUT_DIR <dir>] [ARGS <osharness run args...>])
# A campaign as a CTest test: `osharness run <specs> --out <dir> --overwrite --quiet <args>`,
# which passes when osharness exits 0 (every run PASS). Reports land in OUT_DIR (default
# <build>/osharness/<name>/). TIMEOUT (default 600 s) is the full-length budget.
#
# Installed with osharness (lib/cmake/osharness): another project's CMake does
#   find_package(osharness REQUIRED)
#   osharness_add_campaign(boot SPEC ${CMAKE_CURRENT_SOURCE_DIR}/boot.json LABELS smoke)
# and osharness's own tree uses the same function (osh_campaign_test in OshHost.cmake).
function(osharness_add_campaign name)
  cmake_parse_arguments(T "" "TIMEOUT;OUT_DIR" "SPEC;LABELS;ARGS" ${ARGN})
  if(NOT T_SPEC)
    message(FATAL_ERROR "osharness_add_campaign(${name}): SPEC <spec.json> is required")
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  if(NOT T_OUT_DIR)
    set(T_OUT_DIR ${CMAKE_BINARY_DIR}/osharness/${name})
  endif()
  add_test(NAME ${name}
    COMMAND osharness::osharness run ${T_SPEC} --out ${T_OUT_DIR} --overwrite --quiet ${T_ARGS})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT})
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
