#pragma once
// Kernel counters and SYS:METRICS. Every value is counted where it happens (a page fault, a
// system call, a process ending) or read from its owner (the scheduler, the frame allocator,
// the heap); nothing is estimated.
#include <stdint.h>

namespace rayos::kernel {

struct KernelCounters {
  uint64_t page_faults;  // every #PF from ring 3, resolved (backed on first touch) or fatal
  uint64_t syscalls;
  uint64_t spawned;
  uint64_t exited;
  uint64_t crashed;
  uint64_t killed;
};

// Update with interrupts off.
KernelCounters& counters();

// Prints SYS:METRICS:<uptime_ms>:<context_switches>:<page_faults>:<syscalls>:<processes>:
// <frames_used>:<frames_free>:<heap_live_bytes>:<heap_peak_bytes>:<heap_allocations>:
// <heap_frees>:<heap_fragmentation_pct>.
void emit_metrics();

}  // namespace rayos::kernel
