// fault: a null-pointer read in a function with a recognisable, unmangled name, so that the
// harness can symbolise the PANIC frames from the ELF and find it.
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

uint32_t run(const kernel::ScenarioContext&) {
  int value = rayos_fault_null_dereference();
  // Not reached. Using the value keeps the call a call (not a tail jump), so the caller's frame
  // stays in the backtrace.
  return static_cast<uint32_t>(value) | 1;
}

}  // namespace

const kernel::Scenario kFault = kernel::make_scenario("fault", run);

}  // namespace rayos::workloads
