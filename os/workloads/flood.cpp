// flood count=N: N short markers as fast as the UART takes them; none may be lost.
#include "os/kernel/console.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"count", 0, 1000000000, 1000}};

uint32_t run(const kernel::ScenarioContext& context) {
  uint64_t count = context.params[0];
  for (uint64_t i = 0; i < count; ++i) kernel::emit<markers::kFloodN>(i);
  kernel::emit<markers::kFloodDone>(count);
  return 0;
}

}  // namespace

const kernel::Scenario kFlood = kernel::make_scenario("flood", kParams, run);

}  // namespace rayos::workloads
