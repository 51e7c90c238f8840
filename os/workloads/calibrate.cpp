// calibrate iterations=N: a fixed integer loop (xorshift64) timed with the TSC — a yardstick
// for how fast this host runs the guest.
#include "os/arch/x86_64/cpu.h"
#include "os/kernel/console.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"iterations", 1, 1000000000000, 1000000}};

uint32_t run(const kernel::ScenarioContext& context) {
  uint64_t iterations = context.params[0];
  uint64_t x = context.seed | 1;  // xorshift needs a non-zero state
  uint64_t start = arch::rdtsc();
  for (uint64_t i = 0; i < iterations; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    asm volatile("" : "+r"(x));  // one real iteration each time round: no vectorising, no folding
  }
  uint64_t cycles = arch::rdtsc() - start;
  kernel::emit<markers::kCalibrateDone>(iterations, cycles);
  return 0;
}

}  // namespace

const kernel::Scenario kCalibrate = kernel::make_scenario("calibrate", kParams, run);

}  // namespace rayos::workloads
