#pragma once
// What a campaign keeps of each run's folder (`osharness run --keep`, docs/specs.md): the console
// log, QEMU's logs, disk images, captures. A nightly of thousands of passing runs need not keep
// a disk image each.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "harness/campaign/run_result.h"

namespace osh::campaign {

enum class Keep {
  All,     // every run's folder, as it was left (the default)
  Failed,  // the folders of runs that did not pass; a passing run's folder goes
  None,    // of every run only what reruns it: repro.json and a recording (replay.bin)
};

// "all", "failed" or "none"; UsageError naming the text otherwise.
Keep parse_keep(std::string_view text);

// Removes from `folder` (run `r`'s, inside `out_dir`) what `keep` does not keep, once `r` is
// judged and before it is journalled; clears r.console_log when the log went, so that no report
// points at a file that is not there. Files that cannot be removed stay.
void apply_keep(Keep keep, RunResult& r, const std::filesystem::path& folder);

// `osharness run --compress-logs`: gzips the console log of run `r` (in `folder`, inside
// `out_dir`) into console.log.gz once the run is judged and kept, and points r.console_log and
// its repro bundle at it; every reader of console logs reads either. A log that cannot be
// compressed stays as it was, with a warning in `warnings`.
void compress_console_log(RunResult& r, const std::filesystem::path& out_dir,
                          std::vector<std::string>& warnings);

}  // namespace osh::campaign
