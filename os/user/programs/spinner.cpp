// spinner ms: burns CPU without a single system call for `ms` milliseconds of uptime, or forever
// with 0 (the kernel must kill it at its CPU-time limit).
#include "os/user/runtime/runtime.h"

using namespace rayos::user;

extern "C" uint64_t rayos_main(uint64_t ms, uint64_t, uint64_t, uint64_t) {
  if (ms == 0)
    for (;;) asm volatile("" ::: "memory");
  uint64_t end = time_ns() + ms * 1'000'000;
  while (time_ns() < end) {
    for (int i = 0; i < 100000; ++i) asm volatile("" ::: "memory");
  }
  return 0;
}
