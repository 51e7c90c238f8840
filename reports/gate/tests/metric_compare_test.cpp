// The per-metric decision rule on hand-made per-run values.
#include "reports/gate/metric_compare.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "reports/gate/gate_format.h"

namespace osh::gate {
namespace {

using Better = campaign::MetricInfo::Better;
using ::testing::HasSubstr;

// Ten runs around `centre` with a fixed, symmetric spread of about 1%.
std::vector<double> runs(double centre) {
  std::vector<double> v;
  for (const double d : {-0.012, 0.004, -0.006, 0.010, 0.0, -0.003, 0.007, -0.009, 0.002, 0.012})
    v.push_back(centre * (1 + d));
  return v;
}

MetricComparison compare(std::vector<double> baseline, std::vector<double> current,
                         Better better = Better::Lower, Threshold t = {},
                         double confidence = 0.95) {
  return compare_metric(
      {"perf", "latency_us.p99", "us", better, std::move(baseline), std::move(current)}, t,
      confidence);
}

TEST(MetricCompareTest, TenPercentSlowerIsARegression) {
  const auto c = compare(runs(1000), runs(1100));
  EXPECT_EQ(c.change, Change::Regressed);
  EXPECT_TRUE(c.relative);
  EXPECT_NEAR(c.shift, 0.10, 0.005);
  EXPECT_GT(c.low, 0.05);
  EXPECT_LT(c.p_value, 0.001);
  EXPECT_NEAR(c.baseline_median, 1000, 10);
  EXPECT_NEAR(c.current_median, 1100, 11);
  EXPECT_THAT(c.reason, HasSubstr("+10.0%"));
  EXPECT_THAT(c.reason, HasSubstr("95% CI"));
  EXPECT_THAT(c.reason, HasSubstr("worse, beyond the 5% threshold"));
}

TEST(MetricCompareTest, DirectionComesFromTheMetric) {
  // Throughput 10% higher is an improvement; 10% lower a regression.
  EXPECT_EQ(compare(runs(1000), runs(1100), Better::Higher).change, Change::Improved);
  EXPECT_EQ(compare(runs(1000), runs(900), Better::Higher).change, Change::Regressed);
  EXPECT_EQ(compare(runs(1000), runs(900), Better::Lower).change, Change::Improved);
}

TEST(MetricCompareTest, ATinySignificantShiftIsBelowTheThreshold) {
  const auto c = compare(runs(1000), runs(1030));
  EXPECT_LT(c.p_value, 0.05);
  EXPECT_EQ(c.change, Change::Unchanged);
  EXPECT_THAT(c.reason, HasSubstr("significant but within the 5% threshold"));
}

TEST(MetricCompareTest, AShiftWhoseIntervalStraddlesTheThresholdIsNotARegression) {
  // About +5.5%, but with this spread the interval reaches below +5%.
  const auto c = compare(runs(1000), runs(1055));
  EXPECT_GT(c.shift, 0.05);
  EXPECT_LT(c.low, 0.05);
  EXPECT_EQ(c.change, Change::Unchanged);
  EXPECT_THAT(c.reason, HasSubstr("the interval reaches inside the 5% threshold"));
  // With a 3% threshold the same data is a regression.
  EXPECT_EQ(
      compare(runs(1000), runs(1055), Better::Lower, {Threshold::Kind::Relative, 0.03}).change,
      Change::Regressed);
}

TEST(MetricCompareTest, NoChangeIsUnchanged) {
  auto current = runs(1000);
  std::reverse(current.begin(), current.end());
  current[0] *= 1.001;
  const auto c = compare(runs(1000), current);
  EXPECT_EQ(c.change, Change::Unchanged);
  EXPECT_GT(c.p_value, 0.5);
  EXPECT_THAT(c.reason, HasSubstr("no significant change"));
}

TEST(MetricCompareTest, TooFewRunsAreInconclusive) {
  const auto c = compare({1000, 1010, 990}, {2000, 2020, 1980});
  EXPECT_EQ(c.change, Change::Inconclusive);
  EXPECT_FALSE(c.tested);
  EXPECT_THAT(c.reason, HasSubstr("3 baseline and 3 current runs cannot reach 95% confidence"));
  EXPECT_THAT(c.reason, HasSubstr("at least 4 runs"));
  EXPECT_EQ(min_runs_per_side(0.95), 4u);
  EXPECT_EQ(min_runs_per_side(0.99), 5u);
  // One run a side is the commonest case of all: never a verdict.
  EXPECT_EQ(compare({1000}, {5000}).change, Change::Inconclusive);
}

TEST(MetricCompareTest, MetricsWithoutADirectionOrSwitchedOffNeverGate) {
  auto c = compare(runs(1000), runs(2000), Better::Neither);
  EXPECT_EQ(c.change, Change::Informational);
  EXPECT_THAT(c.reason, HasSubstr("neither direction is better"));
  c = compare(runs(1000), runs(2000), Better::Lower, {Threshold::Kind::Off, 0});
  EXPECT_EQ(c.change, Change::Informational);
  EXPECT_THAT(c.reason, HasSubstr("threshold off"));
}

TEST(MetricCompareTest, CountsWithZerosUseDifferences) {
  // Lost markers: none in the baseline, two or three per run now.
  const std::vector<double> zero(8, 0.0);
  const std::vector<double> some = {2, 3, 2, 2, 3, 2, 3, 2};
  auto c = compare(zero, some);
  EXPECT_FALSE(c.relative);
  EXPECT_EQ(c.shift, 2);
  EXPECT_EQ(c.change, Change::Regressed);  // 5% of a zero median is zero
  // An absolute threshold of 3 markers: the interval (2 to 3) does not lie beyond it.
  c = compare(zero, some, Better::Lower, {Threshold::Kind::Absolute, 3});
  EXPECT_EQ(c.change, Change::Unchanged);
  EXPECT_THAT(c.reason, HasSubstr("+2 us"));
}

TEST(MetricCompareTest, AbsoluteThresholdsOnPositiveValues) {
  // Boot time 100 ms -> 104 ms: 4 ms is beyond a 2 ms threshold but not a 5 ms one.
  EXPECT_EQ(compare(runs(100), runs(104), Better::Lower, {Threshold::Kind::Absolute, 2}).change,
            Change::Regressed);
  EXPECT_EQ(compare(runs(100), runs(104), Better::Lower, {Threshold::Kind::Absolute, 5}).change,
            Change::Unchanged);
}

TEST(MetricCompareTest, HigherConfidenceNeedsMoreEvidence) {
  // Five runs a side: at 95% a clear shift regresses, at 99% the interval cannot be that tight.
  const std::vector<double> b = {1000, 1010, 990, 1005, 995}, c = {1200, 1210, 1190, 1205, 1195};
  EXPECT_EQ(compare(b, c, Better::Lower, {}, 0.95).change, Change::Regressed);
  EXPECT_EQ(compare(b, c, Better::Lower, {}, 0.999).change, Change::Inconclusive);
}

}  // namespace
}  // namespace osh::gate

namespace osh::gate {
namespace {

TEST(GateFormatTest, NumbersForPeople) {
  EXPECT_EQ(short_number(90.1811), "90.18");
  EXPECT_EQ(short_number(1234.56), "1235");
  EXPECT_EQ(short_number(0.00123456), "0.001235");
  EXPECT_EQ(short_number(42), "42");
  EXPECT_EQ(short_number(-3.14159), "-3.142");
  EXPECT_EQ(signed_percent(0.0999999), "+10.0%");
  EXPECT_EQ(signed_percent(0.0123), "+1.23%");
  EXPECT_EQ(signed_percent(-0.25), "-25.0%");
  EXPECT_EQ(p_text(0.04567), "p = 0.046");
  EXPECT_EQ(p_text(0.00042), "p = 0.0004");
  EXPECT_EQ(p_text(1e-9), "p < 0.0001");
  EXPECT_EQ(with_unit(812, "us"), "812 us");
}

}  // namespace
}  // namespace osh::gate
