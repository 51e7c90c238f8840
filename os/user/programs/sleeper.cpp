// sleeper ms rounds: sleeps `ms` milliseconds `rounds` times; exit 0 if no sleep ended early.
#include "os/user/runtime/runtime.h"

using namespace rayos::user;

extern "C" uint64_t rayos_main(uint64_t ms, uint64_t rounds, uint64_t, uint64_t) {
  for (uint64_t r = 0; r < rounds; ++r) {
    uint64_t start = time_ns();
    if (sleep_ms(ms) != 0) return 2;
    if (time_ns() - start < ms * 1'000'000) return 1;
  }
  return 0;
}
