#include "os/kernel/metrics.h"

#include "os/arch/x86_64/cpu.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"

namespace rayos::kernel {
namespace {

constinit KernelCounters kernel_counters{};

}  // namespace

KernelCounters& counters() { return kernel_counters; }

void emit_metrics() {
  memory_init();
  uint64_t uptime = uptime_ms();
  uint64_t switches, page_faults, syscalls, processes;
  FrameStats frame_stats;
  HeapStats heap_stats;
  {
    arch::InterruptGuard guard;  // one consistent snapshot
    switches = sched_active() ? scheduler().context_switches() : 0;
    page_faults = kernel_counters.page_faults;
    syscalls = kernel_counters.syscalls;
    processes = processes_ready() ? live_user_processes() : 0;
    frame_stats = frames().stats();
    heap_stats = kernel_heap().stats();
  }
  emit<markers::kSysMetrics>(uptime, switches, page_faults, syscalls, processes, frame_stats.used(),
                             frame_stats.free, heap_stats.live_bytes, heap_stats.peak_live_bytes,
                             heap_stats.allocations, heap_stats.frees,
                             heap_stats.fragmentation_percent());
}

}  // namespace rayos::kernel
