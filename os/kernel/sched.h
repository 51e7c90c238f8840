#pragma once
// The scheduler glue (the policy is os/core/scheduler): switches kernel stacks, page tables and
// TSS.RSP0 between tasks, preempts on the timer when a slice is used up, enforces CPU-time limits
// and frees a dead task once the CPU has left its stack. Unless said otherwise, call with
// interrupts off (an arch::InterruptGuard).
#include <stddef.h>
#include <stdint.h>

#include "os/core/scheduler.h"
#include "os/kernel/process.h"

namespace rayos::kernel {

// Starts scheduling with the caller as the boot task (process_init does this).
void sched_start();
bool sched_active();
Scheduler& scheduler();
// CPU time the idle task has had up to `now`: what "busy %" is measured against.
uint64_t idle_cpu_ns(uint64_t now);

// Switches to whichever task should run now (maybe the same one).
void schedule();
// Interrupts may be on.
void yield();
// The current task sleeps until `deadline_ns` of uptime (or is woken earlier). Interrupts may be
// on.
void sleep_until(uint64_t deadline_ns);
// The current task waits for `what` until wake() (or a deadline, when `deadline_ns` is not
// UINT64_MAX); returns when it runs again.
void wait_current(WaitingFor what, uint32_t arg, uint64_t deadline_ns);
void wake(uint32_t slot);
// Wakes every task waiting for `what` with `arg`.
void wake_waiters(WaitingFor what, uint32_t arg);

// While `pids` is set, schedule() appends the pid of every task it switches to (until `capacity`
// entries; `count` says how many). nullptr stops it. For tests of the switching order.
void trace_switches(uint32_t* pids, size_t capacity, size_t* count);

// Where a task's saved stack pointer must point for its first switch: prepares `stack_top` (the
// top of its kernel stack) so that the switch "returns" into a trampoline that runs `entry(arg)`
// (a kernel task) or leaves to ring 3 with `frame` (a user task).
uint64_t prepare_kernel_task(uint64_t stack_top, void (*entry)(uint64_t), uint64_t arg);
uint64_t prepare_user_task(uint64_t stack_top, const arch::InterruptFrame& frame);

}  // namespace rayos::kernel
