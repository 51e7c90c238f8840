#pragma once
// The gate's decision for one metric of one spec: per-run values of the baseline against those
// of the current campaign. docs/statistics.md, "The gate", explains the test and the rule:
//
//   the shift is the Hodges-Lehmann estimate (on log values, so a ratio, when the threshold is
//   relative and every value is positive), with its distribution-free confidence interval;
//   regressed = significant (Mann-Whitney p <= 1 - confidence) AND the whole interval lies
//   beyond the threshold in the bad direction; improved likewise in the good direction;
//   anything else is unchanged. Too few runs to reach the confidence at all is inconclusive,
//   and a metric with no better direction (or threshold "off") is informational.
#include <string>
#include <string_view>
#include <vector>

#include "harness/campaign/analyzer.h"
#include "reports/gate/gate_config.h"

namespace osh::gate {

enum class Change : unsigned char { Regressed, Improved, Unchanged, Inconclusive, Informational };
std::string_view to_string(Change change);  // "regressed", ...

struct MetricComparison {
  std::string spec;
  std::string metric;
  std::string unit;
  campaign::MetricInfo::Better better = campaign::MetricInfo::Better::Neither;
  std::vector<double> baseline, current;  // one value per run
  double baseline_median = 0, current_median = 0;
  Threshold threshold;
  bool relative = true;  // shift as a fraction of the baseline (else in metric units)
  bool tested = false;   // the test ran (false: too few runs, or nothing to test)
  double shift = 0, low = 0, high = 0;  // current vs baseline, with its interval
  double confidence = 0;                // of [low, high] (its exact coverage is at least this)
  double p_value = 1;
  Change change = Change::Unchanged;
  std::string reason;  // one line: why this verdict
};

struct MetricInput {
  std::string spec, metric, unit;
  campaign::MetricInfo::Better better = campaign::MetricInfo::Better::Neither;
  std::vector<double> baseline, current;  // both non-empty
};

MetricComparison compare_metric(MetricInput input, const Threshold& threshold, double confidence);

// The fewest runs per side with which the two-sided test can reach `confidence` at all.
size_t min_runs_per_side(double confidence);

}  // namespace osh::gate
