#include "harness/campaign/watchdog.h"

#include <gtest/gtest.h>

namespace osh::campaign {
namespace {

constexpr int64_t kS = 1'000'000'000;
constexpr int64_t kMs = 1'000'000;

marker::MarkerEvent heartbeat(int64_t at_ns, marker::FieldValue* uptime) {
  marker::MarkerEvent e;
  e.category = "SYS";
  e.event = "HEARTBEAT";
  e.host_ns = at_ns;
  e.fields = {uptime, 1};
  return e;
}

TEST(Watchdog, HangsAfterTheIdleLimitWithoutOutput) {
  Watchdog w({.idle_s = 2, .heartbeat_s = 5, .deadline_s = 60}, 0);
  EXPECT_FALSE(w.check(1900 * kMs, 0));
  const auto f = w.check(2 * kS, 0);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->verdict, Verdict::Hang);
  EXPECT_EQ(f->signature, "HANG output-idle");
  EXPECT_EQ(f->reason, "no console output for 2.0 s (output-idle limit 2.0 s)");
}

TEST(Watchdog, OutputResetsTheIdleClock) {
  Watchdog w({.idle_s = 2, .heartbeat_s = 5, .deadline_s = 60}, 0);
  w.on_output(1500 * kMs);
  EXPECT_FALSE(w.check(3 * kS, 0));
  EXPECT_TRUE(w.check(3500 * kMs, 0));
}

TEST(Watchdog, HangsWhenHeartbeatsStopEvenWithOtherOutput) {
  Watchdog w({.idle_s = 10, .heartbeat_s = 3, .deadline_s = 60}, 0);
  marker::FieldValue uptime{marker::FieldValue::Kind::Unsigned, 1000, 0, 0, "1000"};
  w.on_marker(heartbeat(1 * kS, &uptime));
  for (int64_t t = 1 * kS; t < 4 * kS; t += 100 * kMs) {
    w.on_output(t);
    EXPECT_FALSE(w.check(t, 0)) << t;
  }
  const auto f = w.check(4 * kS, 0);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->signature, "HANG heartbeat");
  EXPECT_EQ(f->reason, "no heartbeat for 3.0 s (heartbeat limit 3.0 s; last uptime 1000 ms)");
}

// Under icount a stress scenario's guest clock ran 4 to 10 times slower than the host's on a
// loaded machine: one guest second between heartbeats took 10 s, which was judged HANG.
TEST(Watchdog, AGuestClockSlowerThanTheHostsStretchesTheHeartbeatLimit) {
  Watchdog w({.idle_s = 100, .heartbeat_s = 5, .deadline_s = 600}, 0);
  marker::FieldValue first{marker::FieldValue::Kind::Unsigned, 1000, 0, 0, "1000"};
  w.on_marker(heartbeat(4 * kS, &first));  // guest uptime 1 s four host seconds after the start
  EXPECT_FALSE(w.check(4 * kS + 19900 * kMs, 0)) << "the limit is 4 x 5 s";
  marker::FieldValue second{marker::FieldValue::Kind::Unsigned, 2000, 0, 0, "2000"};
  w.on_marker(heartbeat(8 * kS, &second));
  EXPECT_FALSE(w.check(8 * kS + 19900 * kMs, 0));
  const auto f = w.check(28 * kS, 0);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->reason,
            "no heartbeat for 20.0 s (heartbeat limit 5.0 s stretched to 20.0 s by the guest's "
            "clock; last uptime 2000 ms)");
}

TEST(Watchdog, AGuestClockStretchesTheHeartbeatLimitAtMostTenfold) {
  Watchdog w({.idle_s = 1000, .heartbeat_s = 1, .deadline_s = 6000}, 0);
  marker::FieldValue first{marker::FieldValue::Kind::Unsigned, 1, 0, 0, "1"};
  w.on_marker(heartbeat(100 * kS, &first));  // 1 ms of guest time in 100 s
  EXPECT_FALSE(w.check(109 * kS, 0));
  EXPECT_TRUE(w.check(110 * kS, 0));
}

TEST(Watchdog, AGuestClockIsMeasuredFromItsLatestBoot) {
  Watchdog w({.idle_s = 1000, .heartbeat_s = 5, .deadline_s = 6000}, 0);
  marker::MarkerEvent boot;
  boot.category = "BOOT";
  boot.event = "START";
  boot.host_ns = 50 * kS;  // a reboot after 50 s: the guest's uptime starts again
  w.on_marker(boot);
  marker::FieldValue uptime{marker::FieldValue::Kind::Unsigned, 1000, 0, 0, "1000"};
  w.on_marker(heartbeat(51 * kS, &uptime));
  EXPECT_TRUE(w.check(56 * kS, 0)) << "not stretched by the 50 s before the reboot";
}

TEST(Watchdog, NoHeartbeatLimitBeforeTheFirstHeartbeat) {
  Watchdog w({.idle_s = 10, .heartbeat_s = 1, .deadline_s = 60}, 0);
  w.on_output(5 * kS);
  EXPECT_FALSE(w.check(5 * kS, 0));
}

TEST(Watchdog, TimesOutAtTheDeadlineWhileMakingProgress) {
  Watchdog w({.idle_s = 2, .heartbeat_s = 2, .deadline_s = 5}, 0);
  for (int64_t t = 0; t < 5 * kS; t += 500 * kMs) {
    w.on_output(t);
    EXPECT_FALSE(w.check(t, 0));
  }
  w.on_output(5 * kS);
  const auto f = w.check(5 * kS, 0);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->verdict, Verdict::Timeout);
  EXPECT_EQ(f->signature, "TIMEOUT deadline");
}

TEST(Watchdog, HostStarvationExtendsTheLimits) {
  Watchdog w({.idle_s = 2, .heartbeat_s = 5, .deadline_s = 4}, 0);
  // QEMU waited 1.5 s for a CPU between 0.5 s and 2 s: the guest had no chance to print.
  EXPECT_FALSE(w.check(500 * kMs, 0));
  EXPECT_FALSE(w.check(2 * kS, 1500 * kMs));
  EXPECT_FALSE(w.check(3 * kS, 1500 * kMs));
  const auto idle = w.check(3500 * kMs, 1500 * kMs);
  ASSERT_TRUE(idle);
  EXPECT_EQ(idle->signature, "HANG output-idle");

  Watchdog d({.idle_s = 100, .heartbeat_s = 100, .deadline_s = 4}, 0);
  EXPECT_FALSE(d.check(4 * kS, 1 * kS));
  const auto late = d.check(5 * kS, 1 * kS);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->verdict, Verdict::Timeout);
  EXPECT_NE(late->reason.find("extended by 1.0 s of host CPU starvation"), std::string::npos);
  EXPECT_DOUBLE_EQ(d.extension_s(), 1.0);
}

TEST(Watchdog, StarvationExtendsALimitAtMostTwiceItsLength) {
  Watchdog w({.idle_s = 100, .heartbeat_s = 100, .deadline_s = 4}, 0);
  // A host so loaded that QEMU waited nearly the whole time: the run still ends at 3 x 4 s.
  EXPECT_FALSE(w.check(11 * kS, 10 * kS));
  const auto f = w.check(12 * kS, 11 * kS);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->verdict, Verdict::Timeout);
  EXPECT_DOUBLE_EQ(w.extension_s(), 8.0);
}

TEST(Watchdog, TimeTheHarnessHeldTheVmPausedIsExcusedInFull) {
  Watchdog w({.idle_s = 2, .heartbeat_s = 2, .deadline_s = 4}, 0);
  marker::FieldValue uptime{marker::FieldValue::Kind::Unsigned, 1000, 0, 0, "1000"};
  w.on_marker(heartbeat(1 * kS, &uptime));
  w.on_output(1 * kS);
  // Paused from 1.5 s to 11.5 s (fault injection): ten times the idle limit, no HANG.
  for (int64_t t = 1500 * kMs; t <= 11500 * kMs; t += 100 * kMs)
    EXPECT_FALSE(w.check(t, 0, t - 1500 * kMs)) << t;
  // 0.5 s ran before the pause: 1.4 s of running after it is still within the 2 s limits...
  EXPECT_FALSE(w.check(12900 * kMs, 0, 10 * kS));
  // ...and 1.5 s is not; the deadline (4 s, also extended by the pause) has not passed yet.
  const auto f = w.check(13 * kS, 0, 10 * kS);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->signature, "HANG output-idle");
  EXPECT_DOUBLE_EQ(w.extension_s(), 0) << "the extension reports host starvation only";
}

TEST(Watchdog, NextCheckIsTheNearestLimitOrTheSamplingInterval) {
  Watchdog w({.idle_s = 2, .heartbeat_s = 5, .deadline_s = 60}, 7 * kMs);
  EXPECT_EQ(w.next_check_ns(), 7 * kMs) << "the first check takes the first starvation sample";
  w.check(7 * kMs, 0);
  EXPECT_EQ(w.next_check_ns(), 107 * kMs);
  w.check(1950 * kMs, 0);
  EXPECT_EQ(w.next_check_ns(), 2007 * kMs) << "the idle limit comes first";
}

}  // namespace
}  // namespace osh::campaign
