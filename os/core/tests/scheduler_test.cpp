#include "os/core/scheduler.h"

#include <gtest/gtest.h>

#include <vector>

namespace rayos {
namespace {

constexpr uint32_t kIdle = 1;
constexpr uint64_t kSlice = 10;

std::vector<uint32_t> run_order(Scheduler& s, int picks, uint64_t& now) {
  std::vector<uint32_t> order;
  for (int i = 0; i < picks; ++i) order.push_back(s.pick_next(++now));
  return order;
}

TEST(Scheduler, StartsOnIdleAndRunsIdleWhenNothingIsReady) {
  Scheduler s(kIdle, kSlice, 0);
  EXPECT_EQ(s.current(), kIdle);
  EXPECT_EQ(s.pick_next(5), kIdle);
  EXPECT_EQ(s.context_switches(), 0u);
  EXPECT_FALSE(s.on_tick(100));
}

TEST(Scheduler, RoundRobin) {
  Scheduler s(kIdle, kSlice, 0);
  for (uint32_t id : {2, 3, 4}) ASSERT_TRUE(s.add(id));
  uint64_t now = 0;
  EXPECT_EQ(run_order(s, 7, now), (std::vector<uint32_t>{2, 3, 4, 2, 3, 4, 2}));
  EXPECT_EQ(s.context_switches(), 7u);
}

TEST(Scheduler, AYieldWithNobodyElseKeepsTheTaskWithoutASwitch) {
  Scheduler s(kIdle, kSlice, 0);
  s.add(2);
  EXPECT_EQ(s.pick_next(1), 2u);
  EXPECT_EQ(s.pick_next(2), 2u);
  EXPECT_EQ(s.context_switches(), 1u);
}

TEST(Scheduler, AdoptCurrentTakesOverFromIdleWithoutASwitch) {
  Scheduler s(kIdle, kSlice, 0);
  ASSERT_TRUE(s.adopt_current(0, 3));
  EXPECT_EQ(s.current(), 0u);
  EXPECT_EQ(s.state(0), TaskState::kRunning);
  EXPECT_EQ(s.context_switches(), 0u);
  EXPECT_FALSE(s.adopt_current(2, 4));  // only from idle
  s.add(2);
  EXPECT_EQ(s.pick_next(5), 2u);
  EXPECT_EQ(s.pick_next(6), 0u);  // the adopted task is an ordinary task now
}

TEST(Scheduler, AddRefusesBadIdsAndBusySlots) {
  Scheduler s(kIdle, kSlice, 0);
  EXPECT_FALSE(s.add(kIdle));
  EXPECT_FALSE(s.add(Scheduler::kMaxTasks));
  EXPECT_TRUE(s.add(2));
  EXPECT_FALSE(s.add(2));
}

TEST(Scheduler, SleepersWakeAtTheirTime) {
  Scheduler s(kIdle, kSlice, 0);
  s.add(2);
  s.add(3);
  EXPECT_EQ(s.pick_next(1), 2u);
  ASSERT_TRUE(s.sleep(2, 50));
  EXPECT_EQ(s.next_wake(), 50u);
  EXPECT_EQ(s.pick_next(2), 3u);
  ASSERT_TRUE(s.sleep(3, 30));
  EXPECT_EQ(s.pick_next(3), kIdle);  // everyone waits: idle
  EXPECT_FALSE(s.on_tick(29));
  EXPECT_TRUE(s.on_tick(30));  // 3 is due: leave idle
  EXPECT_EQ(s.pick_next(31), 3u);
  EXPECT_EQ(s.state(2), TaskState::kSleeping);
  EXPECT_EQ(s.pick_next(50), 2u);  // pick_next wakes what is due, too
  EXPECT_EQ(s.next_wake(), UINT64_MAX);
}

TEST(Scheduler, SliceExpiryOnlyMattersWhenSomeoneWaits) {
  Scheduler s(kIdle, kSlice, 0);
  s.add(2);
  EXPECT_EQ(s.pick_next(0), 2u);
  EXPECT_FALSE(s.on_tick(100));  // alone: runs on
  s.add(3);
  EXPECT_TRUE(s.on_tick(101));  // its slice (from 0) is long over
  EXPECT_EQ(s.pick_next(101), 3u);
  EXPECT_FALSE(s.on_tick(105));
  EXPECT_TRUE(s.on_tick(111));
}

TEST(Scheduler, BlockAndWake) {
  Scheduler s(kIdle, kSlice, 0);
  s.add(2);
  s.add(3);
  ASSERT_TRUE(s.block(3));  // a ready task can be blocked too
  EXPECT_EQ(s.ready_count(), 1u);
  EXPECT_EQ(s.pick_next(1), 2u);
  ASSERT_TRUE(s.block(2));
  EXPECT_EQ(s.pick_next(2), kIdle);
  EXPECT_FALSE(s.block(2));
  ASSERT_TRUE(s.wake(3));
  EXPECT_FALSE(s.wake(3));  // already ready
  EXPECT_TRUE(s.on_tick(3));
  EXPECT_EQ(s.pick_next(3), 3u);
  EXPECT_FALSE(s.sleep(kIdle, 5));
  EXPECT_FALSE(s.block(kIdle));
}

TEST(Scheduler, KillTakesATaskOffEveryQueueAndReleaseFreesTheSlot) {
  Scheduler s(kIdle, kSlice, 0);
  s.add(2);
  s.add(3);
  s.add(4);
  ASSERT_TRUE(s.kill(3));  // ready
  EXPECT_EQ(s.pick_next(1), 2u);
  ASSERT_TRUE(s.kill(2));      // running: the caller switches away next
  EXPECT_FALSE(s.release(2));  // still on the CPU
  EXPECT_EQ(s.pick_next(2), 4u);
  EXPECT_TRUE(s.release(2));
  EXPECT_EQ(s.state(2), TaskState::kFree);
  EXPECT_FALSE(s.kill(2));
  EXPECT_FALSE(s.kill(kIdle));
  ASSERT_TRUE(s.sleep(4, 10));
  ASSERT_TRUE(s.kill(4));             // sleeping
  EXPECT_EQ(s.pick_next(20), kIdle);  // a dead sleeper never wakes
  EXPECT_TRUE(s.add(3));              // a dead slot can be reused directly
}

TEST(Scheduler, CpuTimeIsChargedToWhoeverRan) {
  Scheduler s(kIdle, kSlice, 0);
  s.add(2);
  s.add(3);
  s.pick_next(10);  // idle ran 0..10
  s.pick_next(25);  // 2 ran 10..25
  s.pick_next(26);  // 3 ran 25..26; 2 runs again from 26
  EXPECT_EQ(s.cpu_ns(kIdle, 26), 10u);
  EXPECT_EQ(s.cpu_ns(3, 26), 1u);
  EXPECT_EQ(s.cpu_ns(2, 26), 15u);
  EXPECT_EQ(s.cpu_ns(2, 40), 15u + 14);  // the running task's time counts up to `now`
  EXPECT_EQ(s.cpu_ns(99, 40), 0u);
}

TEST(Scheduler, ManyTasksFillTheQueueWithoutLoss) {
  Scheduler s(0, kSlice, 0);
  for (uint32_t id = 1; id < Scheduler::kMaxTasks; ++id) ASSERT_TRUE(s.add(id));
  EXPECT_EQ(s.ready_count(), Scheduler::kMaxTasks - 1);
  uint64_t now = 0;
  std::vector<uint32_t> order = run_order(s, 2 * (Scheduler::kMaxTasks - 1), now);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], 1 + i % (Scheduler::kMaxTasks - 1));
}

}  // namespace
}  // namespace rayos
