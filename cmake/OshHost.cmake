# Options every host target of the project links against: warnings as errors for our own code,
# and sanitizers when the asan preset asks for them. Third-party code never sees these flags.
add_library(osh_host_options INTERFACE)
target_compile_options(osh_host_options INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wno-missing-field-initializers)
if(OSH_SANITIZE)
  target_compile_options(osh_host_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(osh_host_options INTERFACE -fsanitize=address,undefined)
endif()

# osh_test(<name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>])
# A GoogleTest executable registered with ctest, one ctest entry per test case, label "unit"
# unless told otherwise.
include(GoogleTest)
function(osh_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gmock GTest::gtest_main osh_host_options)
  # Test code needs no -O2: -O1 compiles GoogleTest-heavy files about a sixth faster (the code
  # under test keeps the build type's flags in its own libraries).
  if(CMAKE_BUILD_TYPE STREQUAL "RelWithDebInfo")
    target_compile_options(${name} PRIVATE -O1)
  endif()
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    DISCOVERY_TIMEOUT 30)
endfunction()

# osh_campaign_test(<name> SPEC <spec.json> LABELS <labels...> [TIMEOUT s] [ARGS <osharness args...>])
# A campaign as a ctest test (osharness_add_campaign, the function osharness installs for other
# projects): its reports land in build/campaigns/<name>/. TIMEOUT is the full-length budget; a
# scaled-down run (OSH_SCALE) ends long before it.
include(${CMAKE_CURRENT_LIST_DIR}/OsharnessCampaign.cmake)
function(osh_campaign_test name)
  osharness_add_campaign(${name} OUT_DIR ${CMAKE_BINARY_DIR}/campaigns/${name} ${ARGN})
endfunction()
