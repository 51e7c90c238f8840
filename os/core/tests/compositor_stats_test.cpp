// The soak metrics' arithmetic: percentiles, the latency window (exact and sampled), the frame
// schedule with dropped frames, CPU from idle time, memory in use; and the client workload's
// packing into start arguments.
#include "os/core/compositor_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <random>
#include <vector>

#include "os/core/compositor_workload.h"

namespace rayos::compositor {
namespace {

TEST(Percentile, NearestRankAgainstASortedCopy) {
  std::mt19937_64 gen(7);
  for (size_t n : {1u, 2u, 99u, 100u, 101u, 1000u}) {
    std::vector<uint64_t> v(n);
    for (auto& x : v) x = gen() % 5000;
    std::vector<uint64_t> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    for (uint32_t pct : {1u, 50u, 99u, 100u}) {
      std::vector<uint64_t> work = v;
      size_t rank = (size_t(pct) * n + 99) / 100;
      EXPECT_EQ(percentile_in_place(work.data(), n, pct), sorted[rank - 1]) << n << " " << pct;
    }
  }
  EXPECT_EQ(percentile_in_place(nullptr, 0, 99), 0u);
}

TEST(Latency, WindowReportsP99AndMaxAndEmpties) {
  auto w = std::make_unique<LatencyWindow>(1);
  for (uint64_t i = 1; i <= 100; ++i) w->add(i * 1000);
  LatencySummary s = w->take();
  EXPECT_EQ(s.count, 100u);
  EXPECT_EQ(s.p99_ns, 99000u);
  EXPECT_EQ(s.max_ns, 100000u);
  s = w->take();
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.p99_ns, 0u);
  EXPECT_EQ(s.max_ns, 0u);
}

TEST(Latency, PastCapacityASampleKeepsP99CloseAndMaxExact) {
  auto w = std::make_unique<LatencyWindow>(3);
  const uint64_t n = LatencyWindow::kSamples * 8;
  // A uniform ramp in shuffled order: the true p99 is 0.99 * n.
  std::vector<uint64_t> values(n);
  std::iota(values.begin(), values.end(), 1);
  std::shuffle(values.begin(), values.end(), std::mt19937_64(5));
  for (uint64_t v : values) w->add(v);
  LatencySummary s = w->take();
  EXPECT_EQ(s.count, n);
  EXPECT_EQ(s.max_ns, n);
  EXPECT_NEAR(double(s.p99_ns), 0.99 * double(n), 0.01 * double(n));
}

TEST(Frames, SixtyDeadlinesASecondAndDroppedFramesCounted) {
  FrameClock clock(1000, 60);
  EXPECT_EQ(clock.deadline(0), 1000u);
  EXPECT_EQ(clock.deadline(60), 1000u + 1'000'000'000u);
  EXPECT_EQ(clock.deadline(1), 1000u + 16'666'666u);
  uint64_t dropped = 99;
  EXPECT_EQ(clock.next(1, clock.deadline(1) + 5'000'000, dropped), 2u);  // on time
  EXPECT_EQ(dropped, 0u);
  // Frame 1 finished after frame 3's deadline: 2 and 3 are dropped... but 3 is still current.
  EXPECT_EQ(clock.next(1, clock.deadline(3) + 1, dropped), 3u);
  EXPECT_EQ(dropped, 1u);
  EXPECT_EQ(clock.next(1, clock.deadline(4), dropped), 4u);
  EXPECT_EQ(dropped, 2u);
}

TEST(Cpu, BusyShareOfTheWindow) {
  EXPECT_EQ(cpu_percent(1'000'000'000, 1'000'000'000), 0u);
  EXPECT_EQ(cpu_percent(0, 1'000'000'000), 100u);
  EXPECT_EQ(cpu_percent(250'000'000, 1'000'000'000), 75u);
  EXPECT_EQ(cpu_percent(2'000'000'000, 1'000'000'000), 0u);  // clamped
  EXPECT_EQ(cpu_percent(0, 0), 0u);
}

TEST(Memory, FramesOutsideTheHeapPlusLiveHeapBytes) {
  EXPECT_EQ(memory_in_use_kib(100, 10, 2048), 90u * 4 + 2);
  EXPECT_EQ(memory_in_use_kib(100, 10, 1), 90u * 4 + 1);
  EXPECT_EQ(memory_in_use_kib(5, 10, 0), 0u);
}

TEST(Workload, PackedAndUnpackedAlike) {
  ClientWorkload w;
  w.seed = 0x123456789abcdef;
  w.draw_hz = 60;
  w.dnd_per_min = 600;
  w.churn_per_min = 60000;
  w.surfaces = 8;
  w.side = 255;
  w.leak_bytes_per_min = 65536;
  w.index = 63;
  PackedWorkload p = pack(w);
  ClientWorkload back;
  ASSERT_TRUE(unpack(p.args, back));
  EXPECT_EQ(back.seed, w.seed);
  EXPECT_EQ(back.draw_hz, 60u);
  EXPECT_EQ(back.dnd_per_min, 600u);
  EXPECT_EQ(back.churn_per_min, 60000u);
  EXPECT_EQ(back.surfaces, 8u);
  EXPECT_EQ(back.side, 255u);
  EXPECT_EQ(back.leak_bytes_per_min, 65536u);
  EXPECT_EQ(back.index, 63u);
}

TEST(Workload, OutOfRangeFieldsAreRefused) {
  ClientWorkload w;
  w.surfaces = 0;
  ClientWorkload back;
  EXPECT_FALSE(unpack(pack(w).args, back));
  w = ClientWorkload{};
  w.draw_hz = 0;
  EXPECT_FALSE(unpack(pack(w).args, back));
  w = ClientWorkload{};
  w.side = 4;
  EXPECT_FALSE(unpack(pack(w).args, back));
  PackedWorkload p = pack(ClientWorkload{});
  p.args[3] = uint64_t{1} << 40;
  EXPECT_FALSE(unpack(p.args, back));
  EXPECT_TRUE(unpack(pack(ClientWorkload{}).args, back));
}

}  // namespace
}  // namespace rayos::compositor
