// fault: a null-pointer read in a function with a recognisable, unmangled name, so that the
// harness can symbolise the PANIC frames from the ELF and find it. With crash_pct below 100 it is
// a planted flaky bug: whether it crashes is drawn from the seed mixed with the TSC, so a rerun of
// the seed crashes only sometimes — except in deterministic mode, where the TSC follows the
// instruction count and every rerun draws the same.
#include "os/arch/x86_64/cpu.h"
#include "os/core/prng.h"
#include "os/kernel/exit.h"
#include "os/workloads/workloads.h"

extern "C" [[gnu::noinline]] int rayos_fault_null_dereference() {
  // A volatile pointer on the stack: the compiler cannot see that it is null (it would replace a
  // known null dereference with ud2), and the stack slot gives the function a frame, so the
  // backtrace shows its caller (GCC 12 skips the frame of a leaf that uses no stack, even with
  // -mno-omit-leaf-frame-pointer).
  int* volatile pointer = nullptr;
  return *pointer;
}

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"crash_pct", 0, 100, 100}};

uint32_t run(const kernel::ScenarioContext& context) {
  // 100 (the default) always crashes, without reading the TSC.
  if (context.params[0] < 100 && !Prng(context.seed ^ arch::rdtsc()).chance(context.params[0], 100))
    return 0;
  int value = rayos_fault_null_dereference();
  // Not reached. Using the value keeps the call a call (not a tail jump), so the caller's frame
  // stays in the backtrace.
  return static_cast<uint32_t>(value) | 1;
}

}  // namespace

const kernel::Scenario kFault = kernel::make_scenario("fault", kParams, run);

}  // namespace rayos::workloads
