#include "wpt/campaign_results.h"

#include <algorithm>
#include <set>

namespace osh::wpt {

CampaignResults collect_campaign_results(const campaign::CampaignOutcome& outcome) {
  CampaignResults c;
  std::set<std::string> seen;
  for (const auto& run : outcome.runs) {
    const auto it = run.analysis.find("wpt");
    if (it == run.analysis.end() || !it->is_object()) continue;
    const nlohmann::json& wpt = *it;
    if (!c.first_run) c.first_run = &wpt;
    ++c.runs;
    const int64_t end = run.started_unix_ms + static_cast<int64_t>(run.duration_ms);
    c.time_start_ms =
        c.runs == 1 ? run.started_unix_ms : std::min(c.time_start_ms, run.started_unix_ms);
    c.time_end_ms = std::max(c.time_end_ms, end);
    if (const auto p = wpt.find("pinned_subtests"); p != wpt.end() && p->is_object())
      for (const auto& [dir, n] : p->items())
        if (n.is_number_integer() && n.get<int64_t>() >= 0)
          c.pinned_subtests[dir] = n.get<uint64_t>();
    const auto results = wpt.find("results");
    if (results == wpt.end() || !results->is_array()) continue;
    for (const auto& r : *results) {
      if (!r.is_object() || !r.contains("test") || !r["test"].is_string()) continue;
      if (!seen.insert(r["test"].get<std::string>()).second) {
        ++c.repeated_tests;
        continue;
      }
      c.results.push_back(&r);
    }
  }
  return c;
}

}  // namespace osh::wpt
