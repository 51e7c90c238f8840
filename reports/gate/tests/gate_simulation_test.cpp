// The gate's acceptance criterion (docs/performance.md), on simulated data: a knob that makes
// buffer commits 10% slower must be flagged in at least 9 of 10 gate runs against a clean
// baseline, and 10 clean runs against the same baseline may give at most one false regression.
// Latencies are lognormal per run, with run-to-run noise (reports/gate/sim).
#include <gtest/gtest.h>

#include <random>

#include "harness/stats/rank_tests.h"
#include "reports/gate/sim/acceptance.h"

namespace osh::gate {
namespace {

using sim::run_acceptance;

TEST(GateSimulationTest, TenPercentSlowerCommitsAreCaughtAndCleanRunsAreNot) {
  // 10 runs a side, 2000 commits per run, 2% run-to-run noise.
  const auto c = run_acceptance({.run_cv = 0.02, .slowdown = 0.10}, 10, 10, 42);
  EXPECT_GE(c.worst_block_slow, 9) << "slow campaigns flagged: " << c.flagged_slow << " / 100";
  EXPECT_LE(c.worst_block_clean, 1) << "clean campaigns flagged: " << c.flagged_clean << " / 100";
  EXPECT_GE(c.flagged_slow, 95);
  EXPECT_LE(c.flagged_clean, 2);
}

TEST(GateSimulationTest, NoisierRunsNeedMoreRunsNotALooserRule) {
  // At 4% run-to-run noise ten runs a side miss some slow campaigns, but never cry wolf;
  // twenty runs a side catch them again.
  const auto ten = run_acceptance({.run_cv = 0.04, .slowdown = 0.10}, 10, 5, 7);
  EXPECT_LT(ten.flagged_slow, 45);
  EXPECT_EQ(ten.flagged_clean, 0);
  const auto twenty = run_acceptance({.run_cv = 0.04, .slowdown = 0.10}, 20, 5, 8);
  EXPECT_GE(twenty.flagged_slow, 45);
  EXPECT_EQ(twenty.flagged_clean, 0);
}

TEST(GateSimulationTest, TestingPooledSamplesInsteadOfRunsWouldCryWolf) {
  // Why the unit of replication is the run: pooled over runs, 20000 samples a side make the
  // run-to-run noise look like a real difference between two clean campaigns, far more often
  // than the 5% a test at 95% confidence promises (about 40% of the time here).
  std::mt19937_64 rng(99);
  const sim::LatencyModel model{.run_cv = 0.02};
  int pooled_significant = 0, per_run_significant = 0;
  const int trials = 40;
  for (int t = 0; t < trials; ++t) {
    const auto a = sim::simulate_campaign(model, 10, rng);
    const auto b = sim::simulate_campaign(model, 10, rng);
    std::vector<double> pa, pb;
    for (const auto* side : {&a, &b}) {
      auto& out = side == &a ? pa : pb;
      for (const auto& h : *side)
        h.for_each_bucket([&](const stats::Bucket& k) {
          out.insert(out.end(), k.count, static_cast<double>(h.representative(k.index)));
        });
    }
    pooled_significant += stats::mann_whitney(pa, pb).p_value <= 0.05;
    per_run_significant +=
        stats::mann_whitney(sim::per_run_percentile(a, 50), sim::per_run_percentile(b, 50))
            .p_value <= 0.05;
  }
  EXPECT_GE(pooled_significant, trials / 4)
      << "pooled samples: " << pooled_significant << " / " << trials;
  EXPECT_LE(per_run_significant, trials / 8)
      << "per-run p50: " << per_run_significant << " / " << trials;
}

}  // namespace
}  // namespace osh::gate
