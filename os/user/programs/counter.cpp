// counter n yield_every log_every: sums 0..n-1, yielding every `yield_every` steps and logging
// every `log_every` (0: never). Exit 0 when the sum is right.
#include "os/user/runtime/runtime.h"

using namespace rayos::user;

extern "C" uint64_t rayos_main(uint64_t n, uint64_t yield_every, uint64_t log_every, uint64_t) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < n; ++i) {
    sum += i;
    asm volatile("" : "+r"(sum));  // one real addition per step: no closed form, no folding
    if (log_every != 0 && i % log_every == 0) log_value("count", i);
    if (yield_every != 0 && i % yield_every == 0) yield();
  }
  return sum == n * (n - 1) / 2 ? 0 : 1;
}
