#include "reports/json_report.h"

#include <algorithm>
#include <map>

#include "reports/campaign_digest.h"

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

namespace {

nlohmann::json failure_groups_json(const campaign::CampaignOutcome& outcome) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& g : failure_groups(outcome)) {
    nlohmann::json indexes = nlohmann::json::array(), seeds = nlohmann::json::array();
    for (const auto* r : g.runs) {
      indexes.push_back(r->index);
      seeds.push_back(r->seed);
    }
    groups.push_back({{"signature", g.signature},
                      {"frames", g.frames},
                      {"verdict", campaign::to_string(g.verdict)},
                      {"reason", g.reason},
                      {"runs", g.runs.size()},
                      {"run_indexes", indexes},
                      {"seeds", seeds},
                      {"first_started_unix_ms", g.runs.front()->started_unix_ms},
                      {"last_started_unix_ms", g.runs.back()->started_unix_ms},
                      {"repro_command", g.repro_command}});
  }
  return groups;
}

// Not under "specs", which names the spec files: an object built from an initializer list
// keeps the first of two equal keys, and the table was silently dropped.
nlohmann::json specs_json(const campaign::CampaignOutcome& outcome) {
  nlohmann::json specs = nlohmann::json::array();
  for (const auto& s : spec_digests(outcome)) {
    nlohmann::json by_verdict = nlohmann::json::object(), figures = nlohmann::json::array();
    for (const auto& [v, n] : s.by_verdict) by_verdict[std::string(campaign::to_string(v))] = n;
    for (const auto& f : s.figures)
      figures.push_back({{"metric", f.metric}, {"runs", f.runs}, {"p50", f.p50}, {"p99", f.p99}});
    specs.push_back({{"name", s.name},
                     {"runs", s.runs},
                     {"pass_rate", static_cast<double>(s.passed) / static_cast<double>(s.runs)},
                     {"by_verdict", by_verdict},
                     {"figures", figures}});
  }
  return specs;
}

}  // namespace

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
      {"$schema", kReportSchemaId},
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
      {"per_spec", specs_json(outcome)},
      {"failure_groups", failure_groups_json(outcome)},
      {"runs", runs},
  };
}

void JsonReport::write(const campaign::CampaignOutcome& outcome, std::ostream& out) const {
  out << report_json(outcome).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace osh::reports
