#pragma once
// The arithmetic of the soak's per-second metrics (os/kernel/soak_metrics.cpp prints them):
// event-delivery latencies of one second and their 99th percentile, the 60 Hz frame schedule,
// CPU use from idle time, and memory in use from the allocators' counters.
#include <stddef.h>
#include <stdint.h>

namespace rayos::compositor {

struct LatencySummary {
  uint64_t count;   // latencies reported in the window
  uint64_t p99_ns;  // nearest-rank 99th percentile (of the sample when more than kSamples)
  uint64_t max_ns;  // exact
};

// Latencies of one window. Up to kSamples are kept exactly; past that, reservoir sampling (a
// seeded splitmix64 stream) keeps a uniform sample of kSamples, so p99 stays unbiased; max is
// always exact.
class LatencyWindow {
 public:
  static constexpr size_t kSamples = 2048;
  constexpr explicit LatencyWindow(uint64_t seed) : state_(seed) {}

  void add(uint64_t ns);
  // The window's summary; empties the window. {0, 0, 0} when nothing was reported.
  LatencySummary take();

 private:
  uint64_t samples_[kSamples] = {};
  uint64_t count_ = 0;
  uint64_t max_ = 0;
  uint64_t state_;
};

// The nearest-rank percentile `pct` (1..100) of values[0..n); reorders them. 0 when n == 0.
uint64_t percentile_in_place(uint64_t* values, size_t n, uint32_t pct);

// Frame k is due at start + k * 1 s / hz (exact in integers, no drift). After frame `done` was
// composed at `now`, the next frame to compose is the first whose deadline is still ahead; the
// ones in between are dropped.
class FrameClock {
 public:
  constexpr FrameClock(uint64_t start_ns, uint32_t hz) : start_(start_ns), hz_(hz ? hz : 1) {}
  uint64_t deadline(uint64_t frame) const;
  // The frame that follows `done` when it finished at `now`; `dropped` gets how many deadlines
  // were skipped.
  uint64_t next(uint64_t done, uint64_t now, uint64_t& dropped) const;

 private:
  uint64_t start_;
  uint32_t hz_;
};

// CPU busy percentage over a window from the idle task's time in it (rounded to nearest, clamped
// to 0..100).
uint32_t cpu_percent(uint64_t idle_ns, uint64_t window_ns);

// Memory in use in KiB: frames in use outside the heap, plus the heap's live bytes (the heap's
// own frames hold free slab space too, which is not memory in use).
uint64_t memory_in_use_kib(uint64_t frames_used, uint64_t heap_pages, uint64_t heap_live_bytes);

}  // namespace rayos::compositor
