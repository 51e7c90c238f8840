#pragma once
// `osharness gate`: compares the current campaign with a baseline, spec by spec (by name), and
// decides whether the change may land. Exit 1 when any gating metric regressed or a spec whose
// baseline runs all passed has a run that did not pass in current ("new failure"); 0 otherwise.
#include <string>
#include <vector>

#include "harness/campaign/verdict.h"
#include "reports/gate/gate_config.h"
#include "reports/gate/gate_input.h"
#include "reports/gate/metric_compare.h"

namespace osh::gate {

// Per-run values come from runs that ran to their end; a CRASH, HANG, TIMEOUT or INFRA_ERROR
// run stopped early and its metrics describe a truncated run.
bool contributes_metrics(campaign::Verdict verdict);

// Each histogram of a run gives these per-run metrics: "<name>.p50", ".p90", ".p99".
inline constexpr double kHistogramPercentiles[] = {50, 90, 99};

struct FailedRun {
  int index = 0;
  uint64_t seed = 0;
  campaign::Verdict verdict = campaign::Verdict::Fail;
  std::string reason;
};

struct SpecVerdicts {
  std::string spec;
  size_t baseline_runs = 0, baseline_failed = 0;
  size_t current_runs = 0;
  std::vector<FailedRun> current_failed;
  bool new_failure() const { return baseline_failed == 0 && !current_failed.empty(); }
  bool fixed() const { return baseline_failed > 0 && current_failed.empty(); }
};

// Merged over every contributing run of a spec, for the report's distribution table.
struct PooledHistogram {
  std::string spec, name, unit;
  stats::Histogram baseline, current;
};

struct GateResult {
  std::string baseline_origin, current_origin;
  size_t baseline_runs = 0, current_runs = 0;
  GateConfig config;
  std::vector<MetricComparison> comparisons;  // by spec, then metric
  std::vector<SpecVerdicts> verdicts;         // every spec on both sides
  std::vector<PooledHistogram> distributions;
  std::vector<std::string> only_in_baseline, only_in_current;  // spec names
  std::vector<std::string> notes;  // metrics on one side only, unfinished campaigns

  size_t count(Change change) const;
  size_t new_failures() const;
  bool passed() const { return count(Change::Regressed) == 0 && new_failures() == 0; }
  int exit_code() const { return passed() ? 0 : 1; }
};

GateResult run_gate(const GateSide& baseline, const GateSide& current, const GateConfig& config);

}  // namespace osh::gate
