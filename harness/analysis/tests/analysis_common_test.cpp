#include "harness/analysis/analysis_common.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace osh::analysis {
namespace {

TEST(SilenceTracker, MeasuresWindowsBetweenSignsOnlyWhileWatching) {
  SilenceTracker t(2000);
  t.heartbeat(1000);  // not watching yet
  t.open("a");
  for (uint64_t ms : {2000, 3000, 4000, 5000}) t.heartbeat(ms);
  t.sign();
  t.heartbeat(6000);
  t.close();
  for (uint64_t ms : {7000, 8000, 9000, 10000}) t.heartbeat(ms);  // closed: not counted
  EXPECT_EQ(t.longest_ms(), 3000);
  const auto v = t.violations();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].from_uptime_ms, 2000);
  EXPECT_EQ(v[0].to_uptime_ms, 5000);
  EXPECT_EQ(v[0].context, "a");
}

TEST(ThinPoints, KeepsShortSeriesAndEachBucketsExtremesInOrder) {
  std::vector<stats::Point> few = {{1, 5}, {2, 3}};
  EXPECT_EQ(thin_points(few, 10).size(), 2u);
  std::vector<stats::Point> many;
  for (int i = 0; i < 1000; ++i) many.push_back({double(i), double((i * 37) % 101)});
  const auto thin = thin_points(many, 100);
  EXPECT_LE(thin.size(), 100u);
  for (size_t i = 1; i < thin.size(); ++i) EXPECT_LT(thin[i - 1].x, thin[i].x);
  double lo = 1e9, hi = -1e9;
  for (const auto& p : thin) lo = std::min(lo, p.y), hi = std::max(hi, p.y);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 100);
}

}  // namespace
}  // namespace osh::analysis
