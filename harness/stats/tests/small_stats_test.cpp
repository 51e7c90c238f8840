// Percentiles of small vectors, running mean, minimum and maximum, and the least-squares slope.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "harness/stats/linear_fit.h"
#include "harness/stats/quantile.h"
#include "harness/stats/running_stats.h"

namespace osh::stats {
namespace {

TEST(QuantileTest, InterpolatesBetweenOrderStatistics) {
  const std::vector<double> v = {7, 1, 3, 5};  // sorted: 1 3 5 7
  EXPECT_EQ(quantile(v, 0), 1);
  EXPECT_EQ(quantile(v, 1), 7);
  EXPECT_EQ(median(v), 4);
  EXPECT_DOUBLE_EQ(quantile(v, 0.25), 2.5);  // h = 0.75: 1 + 0.75 * 2
  EXPECT_DOUBLE_EQ(quantile(v, 0.9), 6.4);   // h = 2.7: 5 + 0.7 * 2
  EXPECT_EQ(median({42.0}), 42);
  EXPECT_EQ(median({2.0, 1.0, 3.0}), 2);
}

TEST(QuantileTest, RejectsEmptyInputAndBadProbabilities) {
  EXPECT_THROW(median({}), std::invalid_argument);
  EXPECT_THROW(quantile({1.0}, 1.5), std::invalid_argument);
  EXPECT_THROW(quantile({1.0}, std::nan("")), std::invalid_argument);
}

TEST(NearestRankTest, SmallestRankCoveringThePercentage) {
  EXPECT_EQ(nearest_rank(50, 10), 5u);
  EXPECT_EQ(nearest_rank(51, 10), 6u);
  EXPECT_EQ(nearest_rank(0, 10), 1u);
  EXPECT_EQ(nearest_rank(100, 10), 10u);
  EXPECT_EQ(nearest_rank(99, 1000), 990u);  // 0.99 * 1000 is 990.0000000000001 in doubles
  EXPECT_EQ(nearest_rank(99.9, 1000), 999u);
  EXPECT_EQ(nearest_rank(99.99, 100000), 99990u);
  EXPECT_EQ(nearest_rank(50, 0), 1u);
}

TEST(RunningStatsTest, MeanKeepsItsDigitsOnLargeOffsets) {
  // Values around 1e9 with a spread of 1: the mean of the deviations must survive.
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> v(10000);
  for (auto& x : v) x = 1e9 + noise(rng);
  RunningStats s;
  for (const double x : v) s.add(x);
  double deviation = 0;
  for (const double x : v) deviation += x - 1e9;
  EXPECT_NEAR(s.mean() - 1e9, deviation / static_cast<double>(v.size()), 1e-5);
  EXPECT_EQ(s.min(), *std::min_element(v.begin(), v.end()));
  EXPECT_EQ(s.max(), *std::max_element(v.begin(), v.end()));
}

TEST(RunningStatsTest, EmptyAndFewValues) {
  RunningStats s;
  EXPECT_EQ(s.mean(), 0);
  s.add(5);
  EXPECT_EQ(s.mean(), 5);
  s.add(7);
  EXPECT_EQ(s.mean(), 6);
  EXPECT_EQ(s.min(), 5);
  EXPECT_EQ(s.max(), 7);
}

TEST(LineFitTest, RecoversAnExactLine) {
  const std::vector<double> x = {0, 1, 2, 3, 4}, y = {3, 5, 7, 9, 11};
  const auto fit = fit_line(x, y);
  EXPECT_DOUBLE_EQ(fit.slope, 2);
  EXPECT_DOUBLE_EQ(fit.intercept, 3);
  EXPECT_EQ(fit.df, 3);
  EXPECT_NEAR(fit.slope_stderr, 0, 1e-12);
}

TEST(LineFitTest, StandardErrorAndIntervalByHand) {
  // x = 1..5, y = 2 4 5 4 5: slope 0.6, intercept 2.2, residuals -0.8 0.6 1 -0.6 -0.2,
  // SSE = 2.4, Sxx = 10, stderr = sqrt(2.4 / 3 / 10) = 0.28284; t(0.975, 3) = 3.18245.
  const std::vector<double> x = {1, 2, 3, 4, 5}, y = {2, 4, 5, 4, 5};
  const auto fit = fit_line(x, y);
  EXPECT_NEAR(fit.slope, 0.6, 1e-12);
  EXPECT_NEAR(fit.intercept, 2.2, 1e-12);
  EXPECT_NEAR(fit.slope_stderr, std::sqrt(0.08), 1e-12);
  const auto ci = slope_interval(fit, 0.95);
  EXPECT_NEAR(ci.low, 0.6 - 3.1824463053 * std::sqrt(0.08), 1e-8);
  EXPECT_NEAR(ci.high, 0.6 + 3.1824463053 * std::sqrt(0.08), 1e-8);
}

TEST(LineFitTest, ALeakIsFoundAndNoiseIsNot) {
  // Memory in KiB sampled once a second for ten minutes: noise of 50 KiB, with and without a
  // leak of 20 KiB/min. Time in minutes, so the slope is in KiB/min.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0, 50);
  std::vector<double> t, flat, leaking;
  for (int s = 0; s < 600; ++s) {
    t.push_back(s / 60.0);
    flat.push_back(40000 + noise(rng));
    leaking.push_back(40000 + 20 * s / 60.0 + noise(rng));
  }
  // A leak as the soak analyzer reports it: the interval's low end (slope_kib_per_min_ci_low)
  // is above 0.
  EXPECT_LE(slope_interval(fit_line(t, flat), 0.98).low, 0);
  EXPECT_GT(slope_interval(fit_line(t, leaking), 0.98).low, 0);
  const auto ci = slope_interval(fit_line(t, leaking), 0.95);
  EXPECT_LT(ci.low, 20);
  EXPECT_GT(ci.high, 20);
}

TEST(LineFitTest, RejectsDegenerateInput) {
  const std::vector<double> one = {1}, two = {1, 2}, same = {3, 3, 3}, three = {1, 2, 3};
  EXPECT_THROW(fit_line(one, one), std::invalid_argument);
  EXPECT_THROW(fit_line(two, three), std::invalid_argument);
  EXPECT_THROW(fit_line(same, three), std::invalid_argument);
  const auto fit = fit_line(two, two);
  EXPECT_THROW(slope_interval(fit, 0.95), std::invalid_argument);
}

}  // namespace
}  // namespace osh::stats
