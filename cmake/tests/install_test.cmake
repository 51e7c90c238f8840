# `cmake --install` of this build into a fresh prefix, then a tiny project elsewhere that finds
# the installed package and adds a campaign with osharness_add_campaign(): it configures, lists
# the test under its label, and runs it (a --dry-run: no VM). Run with
#   cmake -DBUILD_DIR=<build> -DWORK_DIR=<scratch folder> -P install_test.cmake
foreach(var BUILD_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_test.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${ARGN}\nexited ${code}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(file bin/osharness bin/rayos.schema.json share/doc/osharness/README.md
             share/doc/osharness/specs.md lib/cmake/osharness/osharnessConfig.cmake
             lib/cmake/osharness/OsharnessCampaign.cmake
             share/osharness/schemas/spec.schema.json share/osharness/schemas/report.schema.json)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "cmake --install did not install ${file}")
  endif()
endforeach()

set(tiny ${WORK_DIR}/tiny)
file(WRITE ${tiny}/CMakeLists.txt [[
cmake_minimum_required(VERSION 3.25)
project(tiny NONE)
enable_testing()
find_package(osharness 0.1 REQUIRED)
osharness_add_campaign(tiny_boot SPEC ${CMAKE_CURRENT_SOURCE_DIR}/boot.json LABELS smoke
                       TIMEOUT 60 ARGS --dry-run)
]])
file(WRITE ${tiny}/boot.json
     [[{"name": "boot", "guest": {"kernel": "never-built.elf"}, "scenario": "hello", "seed": 7}]])
run(${CMAKE_COMMAND} -S ${tiny} -B ${tiny}/build -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_CTEST_COMMAND} --test-dir ${tiny}/build -N -L smoke)
if(NOT out MATCHES "tiny_boot")
  message(FATAL_ERROR "the tiny project's ctest does not list tiny_boot under smoke:\n${out}")
endif()
run(${CMAKE_CTEST_COMMAND} --test-dir ${tiny}/build --output-on-failure -V)
if(NOT out MATCHES "${prefix}/bin/osharness" OR NOT out MATCHES "seed=7")
  message(FATAL_ERROR "tiny_boot did not run the installed osharness's dry run:\n${out}")
endif()
