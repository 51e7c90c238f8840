#pragma once
// The edge map the compiler's coverage callback fills (os/core/fuzz/edge_map.h). Only the fuzzed
// code is compiled with -fsanitize-coverage=trace-pc (os/CMakeLists.txt, RAYOS_FUZZED_SOURCES),
// and the callback records only between coverage_on() and coverage_off(): the same code running
// for the kernel itself (the boot command line, marker formatting) costs one load and a branch.
#include "os/core/fuzz/edge_map.h"
#include "os/core/fuzz/site_counts.h"

namespace rayos::kernel {

EdgeMap& fuzz_edges();
void coverage_on();
void coverage_off();

// Nothing is recorded while one lives; then recording goes on if it was on: for a target's own
// setup and teardown around an input (starting and stopping a compositor walks every table slot),
// which is not what it fuzzes and would cost a callback per slot.
class CoveragePause {
 public:
  CoveragePause();
  ~CoveragePause();
  CoveragePause(const CoveragePause&) = delete;
  CoveragePause& operator=(const CoveragePause&) = delete;

 private:
  bool was_recording_;
};

// Line coverage (os/core/fuzz/site_counts.h) from now on, over the kernel's whole text; false
// when no contiguous frames can hold a counter per 4 bytes of it.
bool line_coverage_on();
const SiteCounts& line_coverage();

// osh.coverage=1 (docs/fuzz-campaigns.md, "Coverage of any scenario"): line coverage, and
// recording on, from now to the guest's end, where print_scenario_coverage() prints the counts.
// False when no memory can hold the counters.
bool scenario_coverage_on();
// Stops recording and prints a COVERAGE:BLOCK marker per block that ran, once, if
// scenario_coverage_on() was called: exit_guest and the panic path call it before their last
// marker.
void print_scenario_coverage();

}  // namespace rayos::kernel
