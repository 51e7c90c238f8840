#pragma once
// `osharness parse <console.log>`: re-analyses a saved console log offline (docs/schema.md,
// "osharness parse").
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>

namespace osh::cli {

struct ParseArgs {
  std::filesystem::path log;
  // Default: rayos.schema.json next to osharness; "none": schema-less with prefix RAYOS.
  std::optional<std::filesystem::path> schema;
  bool json = false;
  size_t max_problems = 50;
  // Bytes read at most (default: a regular file whole, anything else 1 GiB).
  std::optional<uint64_t> max_bytes;
};

// Prints the summary to `out`. Returns 0 when no marker was lost, corrupt or malformed, 1 when
// some were. Throws osh::InputError for an unreadable log or a bad schema (exit code 65).
int run_parse(const ParseArgs& args, std::ostream& out);

}  // namespace osh::cli
