// clock: waits for the TSC calibration, prints it, then times one interval with both clocks
// (PIT ticks and the calibrated TSC) so that the conversion can be checked from outside.
#include "os/kernel/clock.h"

#include "os/arch/x86_64/cpu.h"
#include "os/kernel/console.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"ticks", 1, 100000, 200}};

uint32_t run(const kernel::ScenarioContext& context) {
  TscScale scale = kernel::wait_for_tsc_calibration();
  kernel::emit<markers::kClockTsc>(scale.khz(), kernel::kCalibrationTicks);
  uint64_t interval = context.params[0];
  uint64_t first = kernel::wait_for_tick();
  uint64_t start = arch::rdtsc();
  while (kernel::wait_for_tick() < first + interval) {
  }
  uint64_t cycles = arch::rdtsc() - start;
  kernel::emit<markers::kClockCheck>(pit_ticks_to_ns(interval) / 1000, scale.to_ns(cycles) / 1000);
  return 0;
}

}  // namespace

const kernel::Scenario kClock = kernel::make_scenario("clock", kParams, run);

}  // namespace rayos::workloads
