#include "harness/campaign/keep.h"

#include <string>

#include "harness/base/errors.h"

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

}  // namespace osh::campaign
