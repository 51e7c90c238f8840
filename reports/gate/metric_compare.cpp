#include "reports/gate/metric_compare.h"

#include <algorithm>
#include <cmath>

#include "harness/stats/quantile.h"
#include "harness/stats/rank_tests.h"
#include "reports/gate/gate_format.h"

namespace osh::gate {
namespace {

using Better = campaign::MetricInfo::Better;

bool all_positive(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return x > 0; });
}

std::vector<double> logs(const std::vector<double>& v) {
  std::vector<double> out(v.size());
  std::transform(v.begin(), v.end(), out.begin(), [](double x) { return std::log(x); });
  return out;
}

}  // namespace

std::string_view to_string(Change change) {
  switch (change) {
    case Change::Regressed:
      return "regressed";
    case Change::Improved:
      return "improved";
    case Change::Unchanged:
      return "unchanged";
    case Change::Inconclusive:
      return "inconclusive";
    case Change::Informational:
      return "informational";
  }
  return "?";
}

size_t min_runs_per_side(double confidence) {
  size_t n = 1;
  while (stats::min_two_sided_p(n, n) > 1 - confidence) ++n;
  return n;
}

MetricComparison compare_metric(MetricInput in, const Threshold& threshold, double confidence) {
  MetricComparison c;
  c.spec = std::move(in.spec);
  c.metric = std::move(in.metric);
  c.unit = std::move(in.unit);
  c.better = in.better;
  c.baseline = std::move(in.baseline);
  c.current = std::move(in.current);
  c.baseline_median = stats::median(c.baseline);
  c.current_median = stats::median(c.current);
  c.threshold = threshold;

  // A relative threshold compares ratios: the shift of log values, back-transformed. That
  // needs positive values; otherwise shifts are differences and the threshold a fraction of the
  // baseline median.
  c.relative = threshold.kind != Threshold::Kind::Absolute && all_positive(c.baseline) &&
               all_positive(c.current);
  const auto xs = c.relative ? logs(c.baseline) : c.baseline;
  const auto ys = c.relative ? logs(c.current) : c.current;
  const double bound = threshold.kind == Threshold::Kind::Absolute ? threshold.value
                       : c.relative                                ? threshold.value
                                    : threshold.value * std::abs(c.baseline_median);

  const auto test = stats::mann_whitney(xs, ys);
  const auto hl = stats::hodges_lehmann(xs, ys, confidence);
  const auto back = [&](double d) { return c.relative ? std::expm1(d) : d; };
  c.p_value = test.p_value;
  c.shift = back(hl.estimate);
  c.tested = hl.bounded;
  c.confidence = confidence;
  if (hl.bounded) {
    c.low = back(hl.low);
    c.high = back(hl.high);
  }

  const std::string shift_text = describe_shift(c);
  if (c.better == Better::Neither || threshold.kind == Threshold::Kind::Off) {
    c.change = Change::Informational;
    c.reason =
        shift_text + "; reported only: " +
        (threshold.kind == Threshold::Kind::Off ? "threshold off" : "neither direction is better");
    return c;
  }
  if (!hl.bounded) {
    c.change = Change::Inconclusive;
    c.reason = std::to_string(c.baseline.size()) + " baseline and " +
               std::to_string(c.current.size()) + " current runs cannot reach " +
               percent(confidence, 0) + " confidence; give each side at least " +
               std::to_string(min_runs_per_side(confidence)) + " runs (--repeat)";
    return c;
  }
  // In "worse" units: positive is a regression whichever direction is better.
  const double worse_low = c.better == Better::Lower ? c.low : -c.high;
  const double worse_high = c.better == Better::Lower ? c.high : -c.low;
  const bool significant = c.p_value <= 1 - confidence;
  const std::string beyond = "the " + threshold.text() + " threshold";
  if (significant && worse_low > bound) {
    c.change = Change::Regressed;
    c.reason = shift_text + ", " + p_text(c.p_value) + ": worse, beyond " + beyond;
  } else if (significant && worse_high < -bound) {
    c.change = Change::Improved;
    c.reason = shift_text + ", " + p_text(c.p_value) + ": better, beyond " + beyond;
  } else if (!significant) {
    c.reason = shift_text + ", " + p_text(c.p_value) + ": no significant change";
  } else if (worse_low >= -bound && worse_high <= bound) {
    c.reason = shift_text + ", " + p_text(c.p_value) + ": significant but within " + beyond;
  } else {
    c.reason = shift_text + ", " + p_text(c.p_value) +
               ": significant, but the interval reaches inside " + beyond;
  }
  return c;
}

}  // namespace osh::gate
