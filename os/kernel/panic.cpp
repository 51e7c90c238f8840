#include "os/kernel/panic.h"

#include <stdint.h>

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/debug_exit.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/frame_walk.h"
#include "os/core/text_buffer.h"
#include "os/kernel/console.h"
#include "os/kernel/exit.h"
#include "os/kernel/fuzz_coverage.h"

namespace rayos::kernel {
namespace {

constexpr size_t kMaxFrames = 16;

constinit bool panicking = false;
using StackProvider = StackBounds (*)();
constinit StackProvider stack_provider = nullptr;
using PanicNote = void (*)();
constinit PanicNote panic_note = nullptr;

[[noreturn]] void report(StringView kind, StringView detail, uintptr_t pc, uintptr_t rbp) {
  arch::cli();
  if (panicking) arch::debug_exit(kExitPanic);  // a fault while reporting one: just stop
  panicking = true;
  {
    arch::InterruptGuard guard;
    LockedConsole(guard).finish_partial_line();
  }
  if (panic_note != nullptr) panic_note();
  print_scenario_coverage();
  emit<markers::kSysPanic>(kind, detail);
  uintptr_t frames[kMaxFrames];
  frames[0] = pc;
  StackBounds stack = stack_provider != nullptr
                          ? stack_provider()
                          : StackBounds{reinterpret_cast<uintptr_t>(kernel_stack_bottom),
                                        reinterpret_cast<uintptr_t>(kernel_stack_top)};
  size_t count = 1 + walk_frame_pointers(rbp, stack, frames + 1, kMaxFrames - 1);
  for (size_t i = 0; i < count; ++i) emit<markers::kSysFrame>(uint64_t{i}, Hex{frames[i]});
  arch::debug_exit(kExitPanic);
}

}  // namespace

void panic_on_exception(const arch::InterruptFrame& frame) {
  TextBuffer detail;
  detail.add("rip=").add(Hex{frame.rip});
  if (frame.vector == arch::kPageFault) detail.add(",cr2=").add(Hex{arch::read_cr2()});
  if (arch::exception_has_error_code(frame.vector)) detail.add(",err=").add(Hex{frame.error_code});
  if (frame.vector >= arch::kExceptionCount) detail.add(",vector=").add(frame.vector);
  report(arch::exception_name(frame.vector), detail.view(), frame.rip, frame.rbp);
}

void set_panic_stack_provider(StackBounds (*provider)()) { stack_provider = provider; }

void set_panic_note(void (*note)()) { panic_note = note; }

void panic(StringView kind, StringView detail) {
  // Frame 0 is the call site: a byte inside the call, not its return address, which lies past
  // the caller's end when the noreturn call is its last instruction (the host looks frame 0 up as
  // is, like a faulting rip). The walk starts at the caller's frame (saved at [rbp]).
  uintptr_t caller_rbp = *static_cast<uintptr_t*>(__builtin_frame_address(0));
  report(kind, detail, reinterpret_cast<uintptr_t>(__builtin_return_address(0)) - 1, caller_rbp);
}

}  // namespace rayos::kernel

// Called if a pure virtual function is ever reached (a kernel bug): the C++ ABI names it.
extern "C" void __cxa_pure_virtual() { rayos::kernel::panic("PURE_VIRTUAL_CALL", "-"); }
