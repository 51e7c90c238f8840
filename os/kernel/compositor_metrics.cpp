#include "os/kernel/compositor_metrics.h"

#include "os/arch/x86_64/cpu.h"
#include "os/core/compositor_stats.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/console.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"

namespace rayos::kernel {
namespace {

constexpr uint64_t kSecondNs = 1'000'000'000;

}  // namespace

void SoakMetrics::begin(uint64_t start_ns) {
  window_start_ = start_ns;
  next_boundary_ = window_start_ + kSecondNs;
  // The idle task cannot have run since start_ns: the caller has held the CPU.
  idle_at_start_ = idle_cpu_ns(uptime_ns());
  frames_at_start_ = compositor_totals().frames_composed;
  compositor_take_latency();  // latencies from before the first window do not count
}

bool SoakMetrics::poll() {
  uint64_t now = uptime_ns();
  if (now < next_boundary_) return false;
  uint64_t idle = idle_cpu_ns(now);
  uint64_t composed = compositor_totals().frames_composed;
  compositor::LatencySummary latency = compositor_take_latency();
  FrameStats frame_stats;
  HeapStats heap_stats;
  {
    arch::InterruptGuard guard;  // one consistent view of both allocators
    frame_stats = frames().stats();
    heap_stats = kernel_heap().stats();
  }
  uint64_t fps = composed - frames_at_start_;
  emit<markers::kSoakMetricsSnapshot>(
      uint64_t{compositor::cpu_percent(idle - idle_at_start_, now - window_start_)},
      compositor::memory_in_use_kib(frame_stats.used(), heap_stats.pages, heap_stats.live_bytes),
      latency.p99_ns / 1000, fps);
  ++snapshots_;
  frames_reported_ += fps;
  window_start_ = now;
  idle_at_start_ = idle;
  frames_at_start_ = composed;
  while (next_boundary_ <= now) next_boundary_ += kSecondNs;
  return true;
}

}  // namespace rayos::kernel
