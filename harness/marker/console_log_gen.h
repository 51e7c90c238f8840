#pragma once
// A deterministic, realistic console log for tests and benchmarks: kernel-style noise (printk
// timestamps, varied lengths, firmware escape sequences) mixed with markers of a schema that
// carry correct seq and CRC-32C, plus lost, corrupt and malformed markers at seeded places.
// The expected counts are known by construction, not by parsing.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "harness/marker/marker_stream.h"
#include "harness/marker/schema.h"

namespace osh::marker {

struct LogGenOptions {
  uint64_t bytes = 100ull << 20;  // stop once at least this much is written
  uint64_t seed = 1;
  double marker_fraction = 0.3;  // share of lines that are markers (at least 0.001)
  uint64_t markers_per_boot = 20000;
  double fault_rate = 0.0005;  // per marker: lost, corrupt or malformed, in equal parts
  bool crlf = false;
};

struct LogGenFault {
  uint64_t line_no = 0;  // for a lost marker: the line where it would have been
  std::string kind;      // "lost", "corrupt", "malformed"
};

struct LogGenResult {
  MarkerCounts expected;                                  // what a correct parser must count
  std::vector<std::pair<std::string, uint64_t>> markers;  // valid markers per CAT:EVENT, sorted
  std::vector<LogGenFault> faults;
};

// Needs a schema with a BOOT:START marker. Throws osh::InputError otherwise.
LogGenResult generate_console_log(const Schema& schema, const LogGenOptions& options,
                                  std::ostream& out);

}  // namespace osh::marker
