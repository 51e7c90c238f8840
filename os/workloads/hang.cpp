// hang: silent forever (interrupts off, so not even heartbeats) — what a watchdog must catch.
#include "os/arch/x86_64/cpu.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

uint32_t run(const kernel::ScenarioContext&) { arch::halt_forever(); }

}  // namespace

const kernel::Scenario kHang = kernel::make_scenario("hang", run);

}  // namespace rayos::workloads
