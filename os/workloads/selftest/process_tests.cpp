// Processes and the scheduler: running, switching, waiting, crashing, being killed, cleaning up.
#include "os/arch/x86_64/cpu.h"
#include "os/core/syscall_abi.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/ipc.h"
#include "os/kernel/sched.h"
#include "os/workloads/selftest/test_support.h"
#include "os/workloads/selftest/tests.h"

namespace rayos::workloads::selftest {
namespace {

constexpr uint64_t kMs = 1'000'000;

uint64_t context_switches() {
  arch::InterruptGuard guard;
  return kernel::scheduler().context_switches();
}

uint64_t idle_cpu_ns() {
  arch::InterruptGuard guard;
  return kernel::scheduler().cpu_ns(kernel::kIdleSlot, kernel::uptime_ns());
}

void single_process(TestContext& context) {
  expect_clean_exit(context, start(context, "counter", 1000), "counter");
}

// Two processes that yield after every step take turns: the switch trace alternates.
void two_processes_alternate(TestContext& context) {
  constexpr uint64_t kTurns = 10;
  uint32_t trace[256];
  size_t count = 0;
  kernel::trace_switches(trace, 256, &count);
  uint32_t a = start(context, "counter", kTurns, 1, 1);
  uint32_t b = start(context, "counter", kTurns, 1, 1);
  bool ok = expect_clean_exit(context, a, "first");
  ok = expect_clean_exit(context, b, "second") && ok;
  kernel::trace_switches(nullptr, 0, nullptr);
  if (!ok) return;
  uint64_t turns = 0, changes = 0;
  uint32_t last = 0;
  for (size_t i = 0; i < count; ++i) {
    if (trace[i] != a && trace[i] != b) continue;
    ++turns;
    if (last != 0 && trace[i] != last) ++changes;
    last = trace[i];
  }
  // Each yields kTurns times: strict turns give a change at every switch between them.
  if (changes < 2 * kTurns - 1)
    context.fail().add("only_").add(changes).add("_alternations_in_").add(turns).add("_turns");
}

// A process that maps and writes memory, creates a queue, and gives it all back before a clean
// exit: afterwards the kernel holds exactly what it held before.
void clean_exit_frees_everything(TestContext& context) {
  MemorySnapshot before = memory_snapshot();
  if (!expect_clean_exit(context, start(context, "leaker", 32, 1, 1), "tidy_process")) return;
  expect_no_leak(context, before, "after_exit");
}

// The same without giving anything back: the kernel must free it at exit.
void leaking_process_cleaned_up(TestContext& context) {
  MemorySnapshot before = memory_snapshot();
  if (!expect_clean_exit(context, start(context, "leaker", 64, 3, 0), "leaker")) return;
  expect_no_leak(context, before, "after_exit");
}

void crash_leaves_others_running(TestContext& context) {
  MemorySnapshot before = memory_snapshot();
  uint32_t counter = start(context, "counter", 4000, 1);
  uint32_t crasher = start(context, "crasher", 0, 20);
  ExitStatus status;
  if (finish(context, crasher, 5000, status) && status.kind != kernel::ExitKind::kCrashed)
    describe(context.fail().add("the_crasher_"), status);
  kernel::Process* other = kernel::find_process(counter);
  context.expect(other != nullptr && !other->released, "the_other_process_ended_with_the_crash");
  expect_clean_exit(context, counter, "the_other_process");
  expect_no_leak(context, before, "after_the_crash");
}

void ten_processes_1000_switches(TestContext& context) {
  constexpr uint64_t kProcesses = 10, kYields = 1000;
  uint64_t switches_before = context_switches();
  uint64_t start_ns = kernel::uptime_ns();
  uint32_t pids[kProcesses];
  for (uint32_t& pid : pids) pid = start(context, "counter", kYields, 1);
  for (uint32_t pid : pids) expect_clean_exit(context, pid, "counter", 60000);
  uint64_t switches = context_switches() - switches_before;
  uint64_t elapsed = kernel::uptime_ns() - start_ns;
  if (switches < kProcesses * kYields)
    context.fail().add("only_").add(switches).add("_context_switches");
  if (elapsed > 0)
    kernel::emit<markers::kPerfReport>(StringView("context_switches_per_sec"),
                                       switches * 1'000'000'000 / elapsed, StringView("ops/s"));
}

// Every process sleeps: the idle task runs, and every sleeper wakes no earlier than asked.
void all_processes_waiting_idle(TestContext& context) {
  uint64_t idle_before = idle_cpu_ns();
  uint32_t pids[3];
  for (uint32_t& pid : pids) pid = start(context, "sleeper", 20, 5);
  for (uint32_t pid : pids) expect_clean_exit(context, pid, "sleeper");
  uint64_t idle = idle_cpu_ns() - idle_before;
  // Five 20 ms sleeps each, side by side: ~100 ms with nothing to run.
  if (idle < 50 * kMs) context.fail().add("idle_ran_only_").add(idle / 1000).add("us");
}

// One exception kind per test: the process dies with that exception and holds nothing after.
template <uint64_t Kind>
void crash(TestContext& context) {
  constexpr StringView kExpected[] = {"DIVIDE_ERROR",       "PAGE_FAULT", "INVALID_OPCODE",
                                      "GENERAL_PROTECTION", "PAGE_FAULT", "PAGE_FAULT"};
  MemorySnapshot before = memory_snapshot();
  ExitStatus status;
  if (!finish(context, start(context, "crasher", Kind), 5000, status)) return;
  if (status.kind != kernel::ExitKind::kCrashed || !(status.reason == kExpected[Kind])) {
    describe(context.fail().add("expected_crash_").add(kExpected[Kind]).add("_but_"), status);
    return;
  }
  expect_no_leak(context, before, "after_the_crash");
}

void infinite_loop_killed_at_limit(TestContext& context) {
  constexpr uint64_t kLimitMs = 100;
  Quota quota;
  quota.cpu_limit_ms = kLimitMs;
  ExitStatus status;
  if (!finish(context, start(context, "spinner", 0, 0, 0, 0, quota), 10000, status)) return;
  if (status.kind != kernel::ExitKind::kKilled || !(status.reason == "cpu_limit")) {
    describe(context.fail().add("expected_killed_cpu_limit_but_"), status);
    return;
  }
  // Checked every tick (1 ms). The slack covers a tick delivered late because QEMU itself was
  // off the host CPU (guest time follows the host clock, so the gap is charged to the spinner).
  if (status.cpu_ns < kLimitMs * kMs || status.cpu_ns > (kLimitMs + 50) * kMs)
    context.fail().add("killed_after_").add(status.cpu_ns / 1000).add("us_of_a_100ms_limit");
}

// Two processes that never yield both get the CPU, and a sleeping kernel task wakes on time:
// the timer preempts. Without preemption the first spinner keeps the CPU until its 2 s limit, so
// the bounds below (500 ms late, 10% of the CPU each) leave room for a loaded host.
void preemption_shares_cpu(TestContext& context) {
  constexpr uint64_t kWindowMs = 200;
  Quota quota;
  quota.cpu_limit_ms = 2000;
  uint32_t a = start(context, "spinner", 0, 0, 0, 0, quota);
  uint32_t b = start(context, "spinner", 0, 0, 0, 0, quota);
  uint64_t before = kernel::uptime_ns();
  sleep_ms(kWindowMs);
  uint64_t late = kernel::uptime_ns() - before - kWindowMs * kMs;
  uint64_t cpu_a = kernel::process_cpu_ns(a), cpu_b = kernel::process_cpu_ns(b);
  uint32_t both[] = {a, b};
  for (uint32_t pid : both) {
    kernel::kill_process(pid, "killed_by_kernel");
    ExitStatus status;
    finish(context, pid, 5000, status);
  }
  if (late > 500 * kMs)
    context.fail().add("the_sleeping_kernel_task_woke_").add(late / kMs).add("ms_late");
  else if (cpu_a < kWindowMs / 10 * kMs || cpu_b < kWindowMs / 10 * kMs)
    context.fail().add("cpu_split_").add(cpu_a / kMs).add("ms_and_").add(cpu_b / kMs).add("ms");
}

// Bad system calls get error codes (the prober checks each and exits with the number of the
// first that was wrong).
void invalid_syscalls_return_errors(TestContext& context) {
  int64_t foreign = kernel::ipc_create(0, 2);
  if (!context.expect(foreign > 0, "no_queue")) return;
  ExitStatus status;
  if (finish(context, start(context, "prober", static_cast<uint64_t>(foreign)), 5000, status)) {
    if (status.kind == kernel::ExitKind::kExited && status.code != 0)
      context.fail().add("check_").add(status.code).add("_got_the_wrong_result");
    else if (status.kind != kernel::ExitKind::kExited)
      describe(context.fail().add("prober_"), status);
  }
  kernel::ipc_close(static_cast<uint32_t>(foreign), 0);
}

// 100 processes come and go (ten at a time, counters and leakers): nothing is left behind.
void process_churn_100_no_leak(TestContext& context) {
  constexpr int kBatches = 10, kPerBatch = 10;
  MemorySnapshot before = memory_snapshot();
  uint64_t spawn_ns[kBatches * kPerBatch];
  int spawned = 0;
  for (int batch = 0; batch < kBatches && !context.failed(); ++batch) {
    uint32_t pids[kPerBatch];
    for (int i = 0; i < kPerBatch; ++i) {
      uint64_t t0 = kernel::uptime_ns();
      pids[i] = i % 2 == 0 ? start(context, "counter", 100, 10) : start(context, "leaker", 4, 1);
      spawn_ns[spawned++] = kernel::uptime_ns() - t0;
    }
    for (uint32_t pid : pids) expect_clean_exit(context, pid, "churned_process");
  }
  expect_no_leak(context, before, "after_100_processes");
  // The median spawn time (insertion sort: 100 values).
  for (int i = 1; i < spawned; ++i)
    for (int k = i; k > 0 && spawn_ns[k] < spawn_ns[k - 1]; --k) {
      uint64_t t = spawn_ns[k];
      spawn_ns[k] = spawn_ns[k - 1];
      spawn_ns[k - 1] = t;
    }
  if (spawned > 0)
    kernel::emit<markers::kPerfReport>(StringView("spawn_median_us"), spawn_ns[spawned / 2] / 1000,
                                       StringView("us"));
}

constexpr SelfTest kTests[] = {
    {"single_process", single_process},
    {"two_processes_alternate", two_processes_alternate},
    {"clean_exit_frees_everything", clean_exit_frees_everything},
    {"crash_leaves_others_running", crash_leaves_others_running},
    {"ten_processes_1000_switches", ten_processes_1000_switches},
    {"all_processes_waiting_idle", all_processes_waiting_idle},
    {"crash_divide_error", crash<0>},
    {"crash_page_fault_null", crash<1>},
    {"crash_invalid_opcode", crash<2>},
    {"crash_general_protection", crash<3>},
    {"crash_kernel_memory_write", crash<4>},
    {"crash_stack_overflow", crash<5>},
    {"infinite_loop_killed_at_limit", infinite_loop_killed_at_limit},
    {"preemption_shares_cpu", preemption_shares_cpu},
    {"leaking_process_cleaned_up", leaking_process_cleaned_up},
    {"invalid_syscalls_return_errors", invalid_syscalls_return_errors},
    {"process_churn_100_no_leak", process_churn_100_no_leak},
};

}  // namespace

const TestGroup kProcessTests{kTests, sizeof kTests / sizeof kTests[0]};

}  // namespace rayos::workloads::selftest
