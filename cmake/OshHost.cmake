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
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    DISCOVERY_TIMEOUT 30)
endfunction()
