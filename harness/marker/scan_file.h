#pragma once
// A whole console log through a MarkerStream: the core of `osharness parse`, kept here so that
// tests and benchmarks run exactly what the command runs.
#include <cstdint>
#include <filesystem>
#include <optional>
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
  // Reading stopped at the byte limit before the end of the log (the rest was not read).
  bool stopped_at_limit = false;
};

// What a log that is not a regular file (a FIFO, /dev/urandom) is read up to by default: it
// may never end.
inline constexpr uint64_t kDefaultStreamMaxBytes = uint64_t(1) << 30;

// Reads `log` (a file, FIFO or character device) to its end, or to `max_bytes` (by default
// unlimited for a regular file, kDefaultStreamMaxBytes for anything else): then it stops at the
// last line feed within the limit, so that no line is cut by the limit. `observers` see the
// stream too (kernel crash reports, KTAP results); one that wants lines makes the parse
// single-threaded. Throws osh::InputError when it cannot be opened or read.
ScanSummary scan_file(const std::filesystem::path& log, const Schema& schema,
                      const StreamOptions& options = {},
                      std::optional<uint64_t> max_bytes = std::nullopt,
                      const std::vector<MarkerObserver*>& observers = {});

}  // namespace osh::marker
