// spin: busy forever with interrupts on: heartbeats continue, the scenario never completes.
#include "os/arch/x86_64/cpu.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

uint32_t run(const kernel::ScenarioContext&) {
  for (;;) arch::pause();
}

}  // namespace

const kernel::Scenario kSpin = kernel::make_scenario("spin", run);

}  // namespace rayos::workloads
