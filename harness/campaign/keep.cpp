#include "harness/campaign/keep.h"

#include <string>

#include "harness/base/errors.h"
#include "harness/base/gzip.h"
#include "harness/campaign/repro_bundle.h"

namespace osh::campaign {

Keep parse_keep(std::string_view text) {
  if (text == "all") return Keep::All;
  if (text == "failed") return Keep::Failed;
  if (text == "none") return Keep::None;
  throw UsageError("--keep \"" + std::string(text) +
                   "\": expected all (every run's folder), failed (the folders of runs that did "
                   "not pass) or none (only repro.json and replay.bin)");
}

void apply_keep(Keep keep, RunResult& r, const std::filesystem::path& folder) {
  if (keep == Keep::All || (keep == Keep::Failed && r.verdict != Verdict::Pass)) return;
  // A passing run's folder goes whole; of any other, what reruns it stays.
  const bool whole = r.verdict == Verdict::Pass;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(folder, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const auto name = it->path().filename();
    if (!whole && (name == "repro.json" || name == "replay.bin")) continue;
    std::error_code ignored;
    std::filesystem::remove_all(it->path(), ignored);
  }
  std::error_code ignored;
  std::filesystem::remove(folder, ignored);  // only when empty
  if (!r.console_log.empty() && !std::filesystem::exists(folder / "console.log", ignored))
    r.console_log.clear();
}

void compress_console_log(RunResult& r, const std::filesystem::path& out_dir,
                          std::vector<std::string>& warnings) {
  if (r.console_log.empty() || r.console_log.ends_with(".gz")) return;
  const auto log = out_dir / r.console_log;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(log, ec)) return;
  try {
    auto gz = log;
    gz += ".gz";
    if (!r.repro_bundle.empty()) {
      // The bundle first: were the log compressed and the bundle not rewritten, it would name a
      // file that is gone.
      const auto bundle_path = out_dir / r.repro_bundle;
      auto bundle = read_bundle(bundle_path);
      if (!bundle.console_log.empty()) bundle.console_log += ".gz";
      gzip_file(log, gz);
      write_bundle(bundle, bundle_path);
    } else {
      gzip_file(log, gz);
    }
    r.console_log += ".gz";
  } catch (const std::exception& e) {
    warnings.push_back("run " + std::to_string(r.index) +
                       ": console log kept uncompressed: " + e.what());
  }
}

}  // namespace osh::campaign
