#include "harness/stats/rank_tests.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

namespace osh::stats {
namespace {

// U of y by definition: pairs with y above x count 1, ties 1/2.
double u_by_pairs(const std::vector<double>& x, const std::vector<double>& y) {
  double u = 0;
  for (const double a : x)
    for (const double b : y) u += b > a ? 1 : b == a ? 0.5 : 0;
  return u;
}

// The exact two-sided p-value by listing every way to split the pooled values into samples of
// these sizes: an independent check of the dynamic programme (ties included).
double brute_force_p(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> pooled(x);
  pooled.insert(pooled.end(), y.begin(), y.end());
  const double observed = u_by_pairs(x, y);
  std::vector<bool> pick(pooled.size(), false);
  std::fill(pick.end() - static_cast<ptrdiff_t>(y.size()), pick.end(), true);
  double below = 0, above = 0, total = 0;
  do {
    std::vector<double> a, b;
    for (size_t i = 0; i < pooled.size(); ++i) (pick[i] ? b : a).push_back(pooled[i]);
    const double u = u_by_pairs(a, b);
    total += 1;
    below += u <= observed + 1e-9;
    above += u >= observed - 1e-9;
  } while (std::next_permutation(pick.begin(), pick.end()));
  return std::min(1.0, 2 * std::min(below, above) / total);
}

TEST(MannWhitneyTest, MatchesTheExampleOfRsDocumentation) {
  // wilcox.test(x, y, alternative = "greater"): W = 35, p-value = 0.1272 (one-sided).
  const std::vector<double> x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
  const std::vector<double> y = {1.15, 0.88, 0.90, 0.74, 1.21};
  const auto r = mann_whitney(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.u, 50 - 35);
  EXPECT_NEAR(r.p_value, 2 * 0.1272, 2e-4);
}

TEST(MannWhitneyTest, ExactPValuesMatchFullEnumerationWithAndWithoutTies) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    const size_t n = 1 + rng() % 7, m = 1 + rng() % 7;
    // Few distinct values on odd trials, so that ties are common.
    const int levels = trial % 2 ? 4 : 1000;
    std::vector<double> x(n), y(m);
    for (auto& v : x) v = static_cast<double>(rng() % levels);
    for (auto& v : y) v = static_cast<double>(rng() % levels + (trial % 3));
    const auto r = mann_whitney(x, y);
    EXPECT_DOUBLE_EQ(r.u, u_by_pairs(x, y));
    EXPECT_NEAR(r.p_value, brute_force_p(x, y), 1e-12) << "trial " << trial;
  }
}

TEST(MannWhitneyTest, AllValuesTiedGiveNoEvidence) {
  const std::vector<double> zeros(8, 0.0);
  EXPECT_EQ(mann_whitney(zeros, zeros).p_value, 1.0);
  const std::vector<double> many(40, 3.0);
  const auto r = mann_whitney(many, many);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.p_value, 1.0);
}

TEST(MannWhitneyTest, NormalApproximationAgreesWithAPermutationEstimate) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> dist(0, 0.3);
  std::vector<double> x(35), y(35);
  for (auto& v : x) v = dist(rng);
  for (auto& v : y) v = dist(rng) * 1.12;
  const auto r = mann_whitney(x, y);
  ASSERT_FALSE(r.exact);
  // Monte Carlo permutation p-value (standard error about 0.003 at 20000 shuffles).
  std::vector<double> pooled(x);
  pooled.insert(pooled.end(), y.begin(), y.end());
  const double centre = 35.0 * 35 / 2, observed = std::abs(u_by_pairs(x, y) - centre);
  int extreme = 0;
  const int shuffles = 20000;
  for (int i = 0; i < shuffles; ++i) {
    std::shuffle(pooled.begin(), pooled.end(), rng);
    const std::vector<double> a(pooled.begin(), pooled.begin() + 35),
        b(pooled.begin() + 35, pooled.end());
    extreme += std::abs(u_by_pairs(a, b) - centre) >= observed;
  }
  EXPECT_NEAR(r.p_value, static_cast<double>(extreme) / shuffles, 0.015);
}

TEST(MannWhitneyTest, SmallestReachablePValue) {
  EXPECT_DOUBLE_EQ(min_two_sided_p(3, 3), 0.1);  // 2 / C(6,3)
  EXPECT_DOUBLE_EQ(min_two_sided_p(4, 4), 2.0 / 70);
  EXPECT_DOUBLE_EQ(min_two_sided_p(1, 1), 1.0);
  const std::vector<double> a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
  EXPECT_DOUBLE_EQ(mann_whitney(a, b).p_value, min_two_sided_p(4, 4));
}

TEST(MannWhitneyTest, RejectsEmptySamples) {
  const std::vector<double> some = {1.0}, none;
  EXPECT_THROW(mann_whitney(some, none), std::invalid_argument);
  EXPECT_THROW(hodges_lehmann(none, some, 0.9), std::invalid_argument);
}

TEST(HodgesLehmannTest, EstimateAndIntervalFromPairwiseDifferences) {
  const std::vector<double> x = {1, 2, 3}, y = {4, 5, 6};
  // Differences: 1 2 2 3 3 3 4 4 5. U for 3 + 3 values: P(U <= 0) = 1/20, P(U <= 1) = 2/20,
  // P(U <= 2) = 4/20, so at 80% k = 2 and the interval is [d(2), d(8)] with coverage 0.8.
  const auto s = hodges_lehmann(x, y, 0.8);
  EXPECT_EQ(s.estimate, 3);
  ASSERT_TRUE(s.bounded);
  EXPECT_EQ(s.low, 2);
  EXPECT_EQ(s.high, 4);
  EXPECT_NEAR(s.confidence, 0.8, 1e-12);
  // At 95% three values a side cannot bound anything (the best two-sided p is 0.1).
  EXPECT_FALSE(hodges_lehmann(x, y, 0.95).bounded);
}

TEST(HodgesLehmannTest, OrderStatisticsMatchTheSortedPairwiseDifferences) {
  std::mt19937_64 rng(21);
  std::normal_distribution<double> d(0, 100);
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<double> x(1 + rng() % 40), y(1 + rng() % 40);
    for (auto& v : x) v = d(rng);
    for (auto& v : y) v = d(rng) + (trial % 3) * 50;
    std::vector<double> all;
    for (const double a : x)
      for (const double b : y) all.push_back(b - a);
    std::sort(all.begin(), all.end());
    const size_t p = all.size();
    const auto s = hodges_lehmann(x, y, 0.9);
    EXPECT_EQ(s.estimate, p % 2 ? all[p / 2] : 0.5 * (all[p / 2 - 1] + all[p / 2]));
    if (!s.bounded) continue;
    // Distinct values: as many differences below the interval as above it.
    const auto below = std::lower_bound(all.begin(), all.end(), s.low) - all.begin();
    const auto above = all.end() - std::upper_bound(all.begin(), all.end(), s.high);
    EXPECT_EQ(below, above);
    EXPECT_TRUE(std::binary_search(all.begin(), all.end(), s.low));
    EXPECT_TRUE(std::binary_search(all.begin(), all.end(), s.high));
  }
}

TEST(HodgesLehmannTest, LargeSamplesNeedNoPairList) {
  // 25 million differences: listed, 200 MB; selected by bisection, none.
  std::mt19937_64 rng(22);
  std::normal_distribution<double> d(0, 1);
  std::vector<double> x(5000), y(5000);
  for (auto& v : x) v = d(rng);
  for (auto& v : y) v = d(rng) - 0.25;
  const auto s = hodges_lehmann(x, y, 0.95);
  ASSERT_TRUE(s.bounded);
  EXPECT_NEAR(s.estimate, -0.25, 0.06);
  EXPECT_LT(s.low, -0.25);
  EXPECT_GT(s.high, -0.25);
  EXPECT_NEAR(s.high - s.low, 2 * 1.96 * std::sqrt(2.0 / 5000) * std::sqrt(std::numbers::pi / 3),
              0.01);
}

TEST(RankTestsTest, RejectValuesThatAreNotFinite) {
  const std::vector<double> ok = {1, 2}, bad = {1, std::nan("")};
  EXPECT_THROW(mann_whitney(ok, bad), std::invalid_argument);
  EXPECT_THROW(hodges_lehmann(bad, ok, 0.9), std::invalid_argument);
}

// Coverage: the true shift lies inside the interval at least as often as promised.
void check_coverage(size_t n, size_t m, double confidence) {
  std::mt19937_64 rng(1234 + n * 100 + m);
  std::exponential_distribution<double> skewed(1.0);
  const double shift = 0.7;
  int covered = 0;
  const int trials = 2000;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> x(n), y(m);
    for (auto& v : x) v = skewed(rng);
    for (auto& v : y) v = skewed(rng) + shift;
    const auto s = hodges_lehmann(x, y, confidence);
    ASSERT_TRUE(s.bounded);
    covered += s.low <= shift && shift <= s.high;
  }
  // Three standard errors below the nominal coverage.
  const double se = std::sqrt(confidence * (1 - confidence) / trials);
  EXPECT_GE(static_cast<double>(covered) / trials, confidence - 3 * se) << n << "x" << m;
}

TEST(HodgesLehmannTest, IntervalsCoverTheTrueShift) {
  check_coverage(10, 10, 0.95);  // exact
  check_coverage(5, 12, 0.90);   // exact, unequal sizes
  check_coverage(40, 40, 0.95);  // normal approximation
}

}  // namespace
}  // namespace osh::stats
