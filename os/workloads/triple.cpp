// triple: a deliberate triple fault. QEMU resets the machine, or exits under -no-reboot; the
// harness sees a guest reset with no PANIC marker.
#include "os/arch/x86_64/interrupts.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

uint32_t run(const kernel::ScenarioContext&) { arch::triple_fault(); }

}  // namespace

const kernel::Scenario kTriple = kernel::make_scenario("triple", run);

}  // namespace rayos::workloads
