#pragma once
// The system-call layer (ABI: os/core/syscall_abi.h): checks every argument — call number,
// ranges, and each user pointer through the process's page tables — before acting, and answers
// a bad one with an error code. The kernel never touches user memory through a user pointer.
#include <stdint.h>

#include "os/arch/x86_64/interrupts.h"

namespace rayos::kernel {

struct Process;

// Registers the `int $0x80` gate.
void syscalls_init();

// The gate's handler without the gate: runs the call in `frame` (rax, rdi, rsi, rdx, r10) for
// `process` and returns its result. Interrupts off. The fuzz scenario's syscall target calls it
// for a process of its own; exit, yield and sleep switch tasks, so it never passes those.
int64_t syscall_dispatch(Process& process, const arch::InterruptFrame& frame);

}  // namespace rayos::kernel
