#include "wpt/dashboard.h"

#include <cstdio>
#include <map>

#include "wpt/campaign_results.h"
#include "wpt/catalog.h"

namespace osh::wpt {
namespace {

struct Tally {
  uint64_t pass = 0, fail = 0, precondition_failed = 0, other = 0, unexpected = 0, tests = 0;
  uint64_t reported() const { return pass + fail + precondition_failed + other; }
};

void count(const nlohmann::json& result, Tally& t) {
  ++t.tests;
  if (result.contains("expected")) ++t.unexpected;
  const auto subtests = result.find("subtests");
  if (subtests == result.end() || !subtests->is_array()) return;
  for (const auto& s : *subtests) {
    const std::string status = s.value("status", std::string());
    if (status == "PASS") {
      ++t.pass;
    } else if (status == "FAIL") {
      ++t.fail;
    } else if (status == "PRECONDITION_FAILED") {
      ++t.precondition_failed;
    } else {
      ++t.other;
    }
    if (s.contains("expected")) ++t.unexpected;
  }
}

std::string percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "—";
  char s[16];
  std::snprintf(s, sizeof s, "%.1f %%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return s;
}

}  // namespace

std::optional<campaign::ReportPanel> wpt_dashboard(const campaign::CampaignOutcome& outcome) {
  const CampaignResults c = collect_campaign_results(outcome);
  if (c.runs == 0) return std::nullopt;
  std::map<std::string, Tally> by_dir;
  for (const auto& [dir, n] : c.pinned_subtests) by_dir[dir];
  std::vector<std::pair<std::string, Tally>> by_test;
  for (const nlohmann::json* r : c.results) {
    const std::string id = (*r)["test"].get<std::string>();
    Tally t;
    count(*r, t);
    Tally& d = by_dir[test_directory(id)];
    d.pass += t.pass;
    d.fail += t.fail;
    d.precondition_failed += t.precondition_failed;
    d.other += t.other;
    d.unexpected += t.unexpected;
    d.tests += t.tests;
    by_test.emplace_back(id, t);
  }

  campaign::ReportPanel panel;
  panel.id = "wpt";
  panel.title = "Web Platform Tests";
  panel.notes.push_back(
      "Subtests by status per WPT directory, against the pinned totals: every subtest the "
      "pinned WPT data defines. \"Pass rate\" is PASS over the pinned total; \"runnable\" leaves "
      "out PRECONDITION_FAILED (a feature rayos lacks, such as IDNA). From " +
      std::to_string(c.runs) + " run(s)" +
      (c.repeated_tests ? ", each test counted once (" + std::to_string(c.repeated_tests) +
                              " repeated result(s) left out)"
                        : std::string()) +
      "; wptreport.json has every result.");
  campaign::ReportTable dirs{
      "Per directory",
      {"directory", "pinned", "reported", "PASS", "FAIL", "PRECONDITION_FAILED", "other",
       "unexpected", "pass rate", "pass rate (runnable)"},
      {false, true, true, true, true, true, true, true, true, true},
      {}};
  // summary.md's short form: the pass rates a reviewer reads first, one row per directory.
  campaign::ReportTable summary{
      "Subtests per WPT directory. Pass rate: PASS over the pinned total; runnable: without "
      "PRECONDITION_FAILED.",
      {"directory", "PASS", "FAIL", "PRECONDITION_FAILED", "unexpected", "pass rate",
       "pass rate (runnable)"},
      {false, true, true, true, true, true, true},
      {}};
  stats::Chart chart;
  chart.kind = stats::Chart::Kind::Bars;
  chart.id = "wpt.directories";
  chart.title = "WPT subtests per directory";
  chart.x_label = "subtests";
  chart.series = {{"PASS", {}}, {"FAIL", {}}, {"PRECONDITION_FAILED", {}}, {"not run / other", {}}};
  for (const auto& [dir, t] : by_dir) {
    const uint64_t pinned =
        c.pinned_subtests.contains(dir) ? c.pinned_subtests.at(dir) : t.reported();
    dirs.rows.push_back({dir, std::to_string(pinned), std::to_string(t.reported()),
                         std::to_string(t.pass), std::to_string(t.fail),
                         std::to_string(t.precondition_failed), std::to_string(t.other),
                         std::to_string(t.unexpected), percent(t.pass, pinned),
                         percent(t.pass, t.pass + t.fail + t.other)});
    summary.rows.push_back({dir, std::to_string(t.pass), std::to_string(t.fail),
                            std::to_string(t.precondition_failed), std::to_string(t.unexpected),
                            percent(t.pass, pinned), percent(t.pass, t.pass + t.fail + t.other)});
    const double x = static_cast<double>(chart.categories.size());
    chart.categories.push_back(dir);
    chart.series[0].points.push_back({x, static_cast<double>(t.pass)});
    chart.series[1].points.push_back({x, static_cast<double>(t.fail)});
    chart.series[2].points.push_back({x, static_cast<double>(t.precondition_failed)});
    const uint64_t missing =
        pinned > t.reported() - t.other ? pinned - (t.reported() - t.other) : 0;
    chart.series[3].points.push_back({x, static_cast<double>(missing)});
  }
  campaign::ReportTable tests{"Per test",
                              {"test", "subtests", "PASS", "FAIL", "PRECONDITION_FAILED", "other",
                               "unexpected", "pass rate (runnable)"},
                              {false, true, true, true, true, true, true, true},
                              {}};
  for (const auto& [id, t] : by_test)
    tests.rows.push_back({id, std::to_string(t.reported()), std::to_string(t.pass),
                          std::to_string(t.fail), std::to_string(t.precondition_failed),
                          std::to_string(t.other), std::to_string(t.unexpected),
                          percent(t.pass, t.pass + t.fail + t.other)});
  panel.tables = {std::move(dirs), std::move(tests)};
  panel.summary = std::move(summary);
  panel.charts.push_back(std::move(chart));
  return panel;
}

}  // namespace osh::wpt
