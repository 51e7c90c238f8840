#include "reports/gate/tests/gate_fixtures.h"

#include <fstream>
#include <stdexcept>

#include "harness/campaign/journal.h"
#include "reports/json_report.h"

namespace osh::gate::testing {

campaign::RunResult make_run(const std::string& name, int index, campaign::Verdict verdict,
                             std::map<std::string, double> metrics) {
  campaign::RunResult r;
  r.name = name;
  r.index = index;
  r.seed = 1000 + static_cast<uint64_t>(index);
  r.verdict = verdict;
  r.reason = verdict == campaign::Verdict::Pass ? "all checks passed" : "boot_ms <= 1 failed";
  r.signature = std::string(campaign::to_string(verdict));
  r.metrics = std::move(metrics);
  r.duration_ms = 1000;
  return r;
}

std::vector<campaign::RunResult> boot_runs(const std::string& spec, int runs, double boot_ms,
                                           int first_index) {
  static const double spread[] = {-0.012, 0.004, -0.006, 0.010, 0.0,
                                  -0.003, 0.007, -0.009, 0.002, 0.012};
  std::vector<campaign::RunResult> out;
  for (int i = 0; i < runs; ++i)
    out.push_back(make_run(
        spec, first_index + i, campaign::Verdict::Pass,
        {{"boot_ms", boot_ms * (1 + spread[i % 10])}, {"markers.total", 40}, {"markers.lost", 0}}));
  return out;
}

campaign::CampaignOutcome outcome_of(std::vector<campaign::RunResult> runs) {
  campaign::CampaignOutcome o;
  o.info.harness_version = "test";
  o.info.finished = true;
  for (size_t i = 0; i < runs.size(); ++i) runs[i].index = static_cast<int>(i);
  o.runs = std::move(runs);
  return o;
}

void write_report(const campaign::CampaignOutcome& outcome, const std::filesystem::path& path) {
  std::ofstream(path) << reports::report_json(outcome).dump(2);
}

void write_journal(const campaign::CampaignOutcome& outcome, const std::filesystem::path& path) {
  campaign::Journal journal(path);
  auto info = campaign::to_json(outcome.info);
  info["record"] = "campaign";
  journal.append(info);
  for (const auto& r : outcome.runs) {
    auto j = campaign::to_json(r);
    j["record"] = "run";
    journal.append(j);
  }
  journal.append({{"record", "end"}, {"finished_unix_ms", 1}, {"interrupted", false}});
}

}  // namespace osh::gate::testing
