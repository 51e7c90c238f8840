// exitcode code=N: exits with N (QEMU status 2N+1; 0..127 keep that within 8 bits).
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"code", 0, 127, 0}};

uint32_t run(const kernel::ScenarioContext& context) {
  return static_cast<uint32_t>(context.params[0]);
}

}  // namespace

const kernel::Scenario kExitCode = kernel::make_scenario("exitcode", kParams, run);

}  // namespace rayos::workloads
