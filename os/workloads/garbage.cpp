// garbage lines=N: N seeded lines of noise, malformed and corrupt markers mixed with valid ones
// (os/core/garbage.h), then the guest's own tally in GARBAGE:SUMMARY for the harness to match.
#include "os/core/garbage.h"

#include "os/arch/x86_64/cpu.h"
#include "os/kernel/console.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"lines", 1, 100000000, 1000}};

uint32_t run(const kernel::ScenarioContext& context) {
  GarbageGenerator generator(context.seed);
  uint64_t noise = 0, malformed = 0, corrupt = 0;
  char line[GarbageGenerator::kMaxLine];
  for (uint64_t i = 0; i < context.params[0]; ++i) {
    arch::InterruptGuard guard;
    kernel::LockedConsole console(guard);
    GarbageLine made = generator.next(console.next_seq(), line);
    if (made.consumed_seq) console.advance_seq();
    console.write_line(StringView(line, made.size));
    noise += made.kind == GarbageKind::kNoise;
    malformed += made.kind == GarbageKind::kMalformed;
    corrupt += made.kind == GarbageKind::kCorrupt;
  }
  kernel::emit<markers::kGarbageSummary>(noise, malformed, corrupt);
  return 0;
}

}  // namespace

const kernel::Scenario kGarbage = kernel::make_scenario("garbage", kParams, run);

}  // namespace rayos::workloads
