#include "harness/campaign/starvation_record.h"

#include <gtest/gtest.h>

namespace osh::campaign {
namespace {

constexpr int64_t kMs = 1'000'000;

// QEMU waited 30 ms between 100 and 200 ms of host time, and 50 more between 200 and 400.
StarvationRecord busy_record() {
  StarvationRecord r(10 * kMs);
  r.record(0, 0);
  r.record(100 * kMs, 0);
  r.record(200 * kMs, 30 * kMs);
  r.record(400 * kMs, 80 * kMs);
  return r;
}

TEST(StarvationRecord, AnIntervalGetsTheWaitOfTheReadingsWithinIt) {
  const StarvationRecord r = busy_record();
  EXPECT_EQ(r.starved_ns_between(100 * kMs, 200 * kMs), 30 * kMs);
  EXPECT_EQ(r.starved_ns_between(200 * kMs, 400 * kMs), 50 * kMs);
  EXPECT_EQ(r.starved_ns_between(0, 500 * kMs), 80 * kMs);
  EXPECT_EQ(r.starved_ns_between(0, 100 * kMs), 0) << "no wait had been seen by then";
}

TEST(StarvationRecord, BetweenReadingsTheValueIsTheLastOneRead) {
  const StarvationRecord r = busy_record();
  // 250..350 falls between the readings at 200 and 400: the wait is seen at 400, after it.
  EXPECT_EQ(r.starved_ns_between(250 * kMs, 350 * kMs), 0);
  EXPECT_EQ(r.starved_ns_between(150 * kMs, 399 * kMs), 30 * kMs);
  EXPECT_EQ(r.starved_ns_between(150 * kMs, 400 * kMs), 80 * kMs);
}

TEST(StarvationRecord, ABackwardOrEmptyIntervalWaitsNothing) {
  const StarvationRecord r = busy_record();
  EXPECT_EQ(r.starved_ns_between(400 * kMs, 100 * kMs), 0);
  EXPECT_EQ(r.starved_ns_between(200 * kMs, 200 * kMs), 0);
  EXPECT_EQ(StarvationRecord().starved_ns_between(0, 1000 * kMs), 0);
}

TEST(StarvationRecord, OnlyChangesAreKeptAndNeitherClockGoesBack) {
  StarvationRecord r(10 * kMs);
  for (int t = 0; t < 100; ++t) r.record(t * 10 * kMs, 0);
  EXPECT_EQ(r.steps(), 0u) << "an idle host adds no step";
  r.record(1000 * kMs, 5 * kMs);
  r.record(990 * kMs, 9 * kMs);   // earlier than the last reading: ignored
  r.record(1010 * kMs, 3 * kMs);  // less than before: ignored
  EXPECT_EQ(r.steps(), 1u);
  EXPECT_EQ(r.starved_ns_between(0, 2000 * kMs), 5 * kMs);
}

TEST(StarvationRecord, AReadingIsDueOncePerInterval) {
  StarvationRecord r(10 * kMs);
  EXPECT_TRUE(r.due(0));
  r.record(5 * kMs, 0);
  EXPECT_FALSE(r.due(14 * kMs));
  EXPECT_TRUE(r.due(15 * kMs));
}

}  // namespace
}  // namespace osh::campaign
