#pragma once
// A whole console log through a MarkerStream: the core of `osharness parse`, kept here so that
// tests and benchmarks run exactly what the command runs.
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "harness/marker/marker_stream.h"
#include "harness/marker/schema.h"

namespace osh::marker {

struct ScanSummary {
  MarkerCounts counts;
  std::vector<LineProblem> problems;  // the first options.max_problems_kept
  std::vector<SequenceGap> gaps;      // the first options.max_problems_kept
  uint64_t gap_count = 0;
  // Valid markers per "CATEGORY:EVENT", sorted by name; markers never seen are left out.
  std::vector<std::pair<std::string, uint64_t>> markers;
};

// Reads `log` (a file, FIFO or character device) to its end. `observers` see the stream too
// (kernel crash reports, KTAP results); one that wants lines makes the parse single-threaded.
// Throws osh::InputError when it cannot be opened or read.
ScanSummary scan_file(const std::filesystem::path& log, const Schema& schema,
                      const StreamOptions& options = {},
                      const std::vector<MarkerObserver*>& observers = {});

}  // namespace osh::marker
