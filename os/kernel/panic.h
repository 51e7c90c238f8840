#pragma once
// Kernel panics: `RAYOS_SYS:PANIC:<kind>:<detail>`, then `RAYOS_SYS:FRAME:<n>:<address>` lines
// (frame 0 = where it happened, then the frame-pointer backtrace), then exit 125 — no SYS:EXIT.
#include "os/arch/x86_64/interrupts.h"
#include "os/core/frame_walk.h"
#include "os/core/string_view.h"

namespace rayos::kernel {

// The CPU exception handler (registered with arch::interrupts_init).
[[noreturn]] void panic_on_exception(const arch::InterruptFrame& frame);

// A software panic from the current call site; `kind` is an id, `detail` a word.
[[noreturn]] void panic(StringView kind, StringView detail);

// The kernel stack the CPU is on, for the backtrace: the boot stack until the scheduler starts,
// then whichever task's stack `provider` names.
void set_panic_stack_provider(StackBounds (*provider)());

// Called once at the start of a panic report, before SYS:PANIC, so that the running scenario can
// print what only it knows about the crash (the fuzzer: the input that caused it). nullptr: none.
void set_panic_note(void (*note)());

}  // namespace rayos::kernel
