#include "os/core/clock_math.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace rayos {
namespace {

__extension__ typedef unsigned __int128 u128;

uint64_t reference_ticks_to_ns(uint64_t ticks) {
  return static_cast<uint64_t>(static_cast<u128>(ticks) * kPitDivisor * 1000000000u / kPitHz);
}

TEST(RayosClockMath, PitTicksToNs) {
  EXPECT_EQ(pit_ticks_to_ns(0), 0u);
  EXPECT_EQ(pit_ticks_to_ns(1), 999847u);  // 1193 / 1193182 s
  EXPECT_EQ(pit_ticks_to_ns(kPitHz), kPitDivisor * 1000000000ull);
  for (uint64_t t : {1000ull, 1000001ull, 86400000ull, 1ull << 40, 1ull << 52})
    EXPECT_EQ(pit_ticks_to_ns(t), reference_ticks_to_ns(t)) << t;
}

TEST(RayosClockMath, MedianIgnoresOutliers) {
  uint64_t one[] = {5};
  EXPECT_EQ(median_in_place(one, 1), 5u);
  uint64_t odd[] = {9, 1, 5, 7, 3};
  EXPECT_EQ(median_in_place(odd, 5), 5u);
  uint64_t even[] = {4, 1, 3, 2};
  EXPECT_EQ(median_in_place(even, 4), 3u);
  // Tick lengths with one late tick (long, then a short one) and one lost tick (double).
  uint64_t ticks[] = {1000, 1001, 999, 5000, 10, 1000, 2000, 1002, 998};
  EXPECT_EQ(median_in_place(ticks, 9), 1000u);
}

TEST(RayosClockMath, TscScaleRoundTrips) {
  // A 2.5 GHz TSC measured over 100 ms.
  TscScale s = TscScale::from_window(250000000, 100000000);
  ASSERT_TRUE(s.valid());
  EXPECT_EQ(s.khz(), 2500000u);
  EXPECT_NEAR(double(s.to_ns(2500000000ull)), 1e9, 2.0);
  EXPECT_NEAR(double(s.to_ns(25)), 10.0, 1.0);
  EXPECT_NEAR(double(s.to_ns(2500000000ull * 3600)), 3600e9, 3600e9 * 1e-8);
}

TEST(RayosClockMath, TscScaleSlowClockAndLongWindow) {
  // 1 MHz TSC over 10 s (window longer than 2^32 ns).
  TscScale s = TscScale::from_window(10000000, 10000000000ull);
  ASSERT_TRUE(s.valid());
  EXPECT_EQ(s.khz(), 1000u);
  EXPECT_EQ(s.to_ns(1), 1000u);
}

TEST(RayosClockMath, InvalidWindows) {
  EXPECT_FALSE(TscScale::from_window(0, 100).valid());
  EXPECT_FALSE(TscScale::from_window(100, 0).valid());
  EXPECT_FALSE(TscScale().valid());
  EXPECT_EQ(TscScale().to_ns(12345), 0u);
  EXPECT_EQ(TscScale().khz(), 0u);
}

}  // namespace
}  // namespace rayos
