#include "os/kernel/sched.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/interrupts.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/memory.h"
#include "os/kernel/process_table.h"

extern "C" void rayos_switch_stacks(uint64_t* save_rsp, uint64_t next_rsp);
extern "C" void rayos_kernel_task_trampoline();
extern "C" void rayos_user_task_trampoline();

namespace rayos::kernel {
namespace {

// Short enough that two CPU-bound processes visibly share the CPU within a few ticks, long
// enough that the switch cost (a CR3 reload under TCG) stays small.
constexpr uint64_t kSliceNs = 5'000'000;

constinit Scheduler policy(kIdleSlot, kSliceNs, 0);
constinit bool active = false;
constinit bool need_resched = false;
// The task the CPU just left: freed by the next one if it died (its stack was in use until the
// switch).
constinit uint32_t previous_slot = kBootSlot;
constinit uint32_t* trace_pids = nullptr;
constinit size_t trace_capacity = 0;
constinit size_t* trace_count = nullptr;

void after_switch() { release_if_dead(previous_slot); }

// Timer interrupt: wake sleepers, charge the slice, enforce the CPU limit of a ring-3 task.
void on_tick() {
  if (!active) return;
  uint64_t now = uptime_ns();
  bool slice_over = policy.on_tick(now);
  uint32_t current = policy.current();
  Process& p = process_at(current);
  if (p.user && p.quota.cpu_limit_ms != 0 &&
      policy.cpu_ns(current, now) >= p.quota.cpu_limit_ms * 1'000'000) {
    p.kill_requested = true;
    p.kill_reason = "cpu_limit";
  }
  if (!slice_over) return;
  // The planted bug: a running task keeps the CPU; only an idle CPU is handed over.
  if (planted(kBugNoPreempt) && current != kIdleSlot) return;
  need_resched = true;
}

// The end of every IRQ and system call: the one place a task is preempted or killed.
void on_return(arch::InterruptFrame& frame) {
  if (!active) return;
  Process& p = current_process();
  if (p.kill_requested && arch::from_user(frame))
    exit_current(ExitStatus{ExitKind::kKilled, 0, p.kill_reason, 0});
  if (!need_resched) return;
  need_resched = false;
  schedule();
}

uint64_t* push(uint64_t*& sp, uint64_t value) {
  *--sp = value;
  return sp;
}

}  // namespace

void sched_start() {
  arch::InterruptGuard guard;
  if (active) return;
  uint64_t now = uptime_ns();
  policy = Scheduler(kIdleSlot, kSliceNs, now);
  policy.adopt_current(kBootSlot, now);
  set_tick_hook(on_tick);
  arch::set_return_hook(on_return);
  active = true;
}

bool sched_active() { return active; }
Scheduler& scheduler() { return policy; }

uint64_t idle_cpu_ns(uint64_t now) {
  arch::InterruptGuard guard;
  return policy.cpu_ns(kIdleSlot, now);
}

void schedule() {
  uint32_t previous = policy.current();
  uint32_t next = policy.pick_next(uptime_ns());
  if (next == previous) return;
  check_kernel_stack(previous);
  Process& n = process_at(next);
  if (trace_pids != nullptr && *trace_count < trace_capacity) trace_pids[(*trace_count)++] = n.pid;
  if (n.user) arch::set_kernel_stack(kernel_stack_top(n));
  uint64_t cr3 = n.user ? n.space.root() : kernel_root();
  if (arch::read_cr3() != cr3) arch::write_cr3(cr3);
  previous_slot = previous;
  rayos_switch_stacks(&process_at(previous).saved_rsp, n.saved_rsp);
  after_switch();
}

void yield() {
  arch::InterruptGuard guard;
  schedule();
}

void sleep_until(uint64_t deadline_ns) {
  arch::InterruptGuard guard;
  if (policy.sleep(policy.current(), deadline_ns)) schedule();
}

void wait_current(WaitingFor what, uint32_t arg, uint64_t deadline_ns) {
  Process& p = current_process();
  p.waiting_for = what;
  p.waiting_arg = arg;
  bool waiting = deadline_ns == UINT64_MAX ? policy.block(policy.current())
                                           : policy.sleep(policy.current(), deadline_ns);
  if (waiting) schedule();
  p.waiting_for = WaitingFor::kNothing;
}

void wake(uint32_t slot) { policy.wake(slot); }

void wake_waiters(WaitingFor what, uint32_t arg) {
  for (uint32_t slot = 0; slot < kMaxProcesses; ++slot) {
    const Process& p = process_at(slot);
    if (p.in_use && p.waiting_for == what && p.waiting_arg == arg) policy.wake(slot);
  }
}

void trace_switches(uint32_t* pids, size_t capacity, size_t* count) {
  arch::InterruptGuard guard;
  if (count != nullptr) *count = 0;
  trace_pids = pids;
  trace_capacity = capacity;
  trace_count = count;
}

uint64_t prepare_kernel_task(uint64_t stack_top, void (*entry)(uint64_t), uint64_t arg) {
  auto* sp = reinterpret_cast<uint64_t*>(stack_top);
  push(sp, reinterpret_cast<uint64_t>(rayos_kernel_task_trampoline));
  push(sp, 0);                                     // rbp: ends backtraces
  push(sp, 0);                                     // rbx
  push(sp, reinterpret_cast<uint64_t>(entry));     // r12
  push(sp, arg);                                   // r13
  push(sp, 0);                                     // r14
  return reinterpret_cast<uint64_t>(push(sp, 0));  // r15
}

uint64_t prepare_user_task(uint64_t stack_top, const arch::InterruptFrame& frame) {
  auto* start = reinterpret_cast<arch::InterruptFrame*>(stack_top) - 1;
  *start = frame;
  auto* sp = reinterpret_cast<uint64_t*>(start);
  push(sp, reinterpret_cast<uint64_t>(rayos_user_task_trampoline));
  for (int i = 0; i < 5; ++i) push(sp, 0);         // rbp, rbx, r12, r13, r14
  return reinterpret_cast<uint64_t>(push(sp, 0));  // r15
}

}  // namespace rayos::kernel

// The first thing a new task runs (context_switch.S), on its own stack, interrupts off.
extern "C" void rayos_task_started() { rayos::kernel::after_switch(); }
