#pragma once
// What a reader of a large campaign looks at first: failures grouped by what went wrong (a
// 1000-run nightly with one bug is one group, not 1000 sections) and one line per spec. Every
// report draws these from here: report.json as data, report.html and summary.md as tables.
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/campaign.h"
#include "harness/campaign/report_panel.h"

namespace osh::reports {

// Runs that failed the same way: the same signature (verdict, kind, function; no times or
// addresses) and the same top frames of a crash, offsets left out.
struct FailureGroup {
  std::string key;                  // signature, then " | " and the frames, if any
  std::string signature;            // the runs' signature
  std::vector<std::string> frames;  // the top crash frames' functions (at most three)
  campaign::Verdict verdict = campaign::Verdict::Fail;
  std::string reason;                            // the first run's reason
  std::vector<const campaign::RunResult*> runs;  // in index order
  // The first run with a repro bundle: "osharness repro <out>/runs/.../repro.json".
  std::string repro_command;
};

// Groups of the runs that did not pass, the largest first (ties: the earliest first run).
std::vector<FailureGroup> failure_groups(const campaign::CampaignOutcome& outcome);

// One spec's runs: counts per verdict and the spread of its key figures (boot time, and every
// metric its criteria name).
struct SpecDigest {
  std::string name;
  size_t runs = 0, passed = 0;
  std::vector<std::pair<campaign::Verdict, size_t>> by_verdict;  // in verdict order
  struct Figure {
    std::string metric;
    size_t runs = 0;  // runs that measured it
    double p50 = 0, p99 = 0;
  };
  std::vector<Figure> figures;
};

std::vector<SpecDigest> spec_digests(const campaign::CampaignOutcome& outcome);

// The runs of each spec (by name), specs in the order of their first run, runs in index order.
using SpecRuns = std::pair<std::string, std::vector<const campaign::RunResult*>>;
std::vector<SpecRuns> runs_by_spec(const campaign::CampaignOutcome& outcome);

// A spec's key figures: boot_ms, then every metric its runs' criteria name, in order of first
// appearance.
std::vector<std::string> key_metrics(const std::vector<const campaign::RunResult*>& runs);

// A base metric's unit ("ms" for boot_ms); "" for a count, or a plug-in's metric (the reports
// do not know those; their names usually say it: latency_us.p99).
std::string metric_unit(const std::string& metric);

// The nearest-rank percentile of sorted, non-empty values.
double percentile(const std::vector<double>& sorted, double percent);

// What `run` measured of `metric` (boot_ms and duration_ms from the run itself); nullopt when
// it did not, or not as a finite number.
std::optional<double> metric_value(const campaign::RunResult& run, const std::string& metric);

// The same, as tables for report.html and summary.md (at most `max_seeds_listed` seeds a group).
campaign::ReportTable failure_group_table(const std::vector<FailureGroup>& groups,
                                          size_t max_seeds_listed);
campaign::ReportTable spec_table(const std::vector<SpecDigest>& specs);

// "4 PASS, 1 CRASH"
std::string verdict_tally(const std::vector<std::pair<campaign::Verdict, size_t>>& counts);

}  // namespace osh::reports
