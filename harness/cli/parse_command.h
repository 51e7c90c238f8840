#pragma once
// `osharness parse <console.log>`: re-analyses a saved console log offline (docs/schema.md,
// "osharness parse"): markers, kernel crash reports (docs/bring-your-own-os.md), or with
// --format ktap the KTAP/TAP test results.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace osh::cli {

struct ParseArgs {
  std::filesystem::path log;
  // Default: rayos.schema.json next to osharness; "none": schema-less with prefix RAYOS.
  std::optional<std::filesystem::path> schema;
  std::string marker_prefix = "RAYOS";  // with schema "none"
  bool json = false;
  size_t max_problems = 50;
  // Bytes read at most (default: a regular file whole, anything else 1 GiB).
  std::optional<uint64_t> max_bytes;
  std::string format = "markers";       // or "ktap"
  std::string crash_reports = "linux";  // a crash table (harness/oslog/formats/), or "none"
  bool times = false;  // then every line with its host time, from console.times beside the log
};

// Prints the summary to `out`. Markers: returns 0 when no marker was lost, corrupt or malformed
// and no kernel crash report was found, 1 otherwise. KTAP: 0 when the results are SUCCESS or
// SKIPPED, 1 otherwise. Throws osh::InputError for an unreadable log or a bad schema (65),
// osh::UsageError for an unknown format or crash table (64).
int run_parse(const ParseArgs& args, std::ostream& out);

}  // namespace osh::cli
