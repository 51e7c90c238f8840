#include "reports/json_report.h"

#include <algorithm>
#include <map>

namespace osh::reports {

std::optional<BootSummary> boot_summary(const campaign::CampaignOutcome& outcome) {
  std::vector<double> boot;
  for (const auto& r : outcome.runs)
    if (r.boot_ms) boot.push_back(*r.boot_ms);
  if (boot.empty()) return std::nullopt;
  std::sort(boot.begin(), boot.end());
  const size_t n = boot.size();
  return BootSummary{n, boot.front(), n % 2 ? boot[n / 2] : (boot[n / 2 - 1] + boot[n / 2]) / 2,
                     boot.back()};
}

nlohmann::json report_json(const campaign::CampaignOutcome& outcome) {
  const auto& info = outcome.info;
  std::map<std::string, int> by_verdict;
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& r : outcome.runs) {
    ++by_verdict[std::string(campaign::to_string(r.verdict))];
    runs.push_back(campaign::to_json(r));
  }
  nlohmann::json boot = nullptr;
  if (const auto b = boot_summary(outcome))
    boot = {{"runs", b->runs}, {"min", b->min}, {"median", b->median}, {"max", b->max}};
  const auto verdict = overall_verdict(outcome);
  return {
      {"schema_version", kReportSchemaVersion},
      {"harness_version", info.harness_version},
      {"started_unix_ms", info.started_unix_ms},
      {"finished_unix_ms", info.finished_unix_ms},
      {"host", info.host},
      {"command", info.command},
      {"specs", info.specs},
      {"interrupted", info.interrupted},
      {"complete", info.finished && info.incomplete.empty()},
      {"incomplete", info.incomplete},
      {"warnings", info.warnings},
      {"verdict", campaign::to_string(verdict)},
      {"exit_code", campaign::exit_code(verdict)},
      {"summary", {{"runs", outcome.runs.size()}, {"by_verdict", by_verdict}, {"boot_ms", boot}}},
      {"runs", runs},
  };
}

void JsonReport::write(const campaign::CampaignOutcome& outcome, std::ostream& out) const {
  out << report_json(outcome).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace osh::reports
