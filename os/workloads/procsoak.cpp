// procsoak procs=N duration_sec=S metrics_sec=M: N process slots of mixed behaviour run for S
// seconds of guest time — IPC ping/pong pairs, memory churners, crashers (meant to crash),
// sleepers, counters, leakers, and a spinner (meant to be killed at its CPU limit). Every process
// that ends is replaced with a fresh one (new seeded arguments). SYS:METRICS every M seconds.
// At the end the slots drain, and the guest judges the run: no page, heap block or queue left
// behind, and every process ended the way its role meant it to (TEST markers, SOAK:COMPLETE,
// exit 0 only on pass).
#include "os/core/prng.h"
#include "os/core/syscall_abi.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/ipc.h"
#include "os/kernel/memory.h"
#include "os/kernel/metrics.h"
#include "os/kernel/process.h"
#include "os/kernel/selftest.h"
#include "os/workloads/selftest/test_support.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {
    {"procs", 2, 32, 10}, {"duration_sec", 1, 604800, 600}, {"metrics_sec", 1, 3600, 10}};
constexpr uint64_t kSecond = 1'000'000'000;
constexpr uint64_t kDrainNs = 15 * kSecond;
constexpr size_t kMaxSlots = 32;

enum class Role : uint8_t {
  kPing,
  kPong,
  kChurner,
  kCrasher,
  kSleeper,
  kCounter,
  kLeaker,
  kSpinner
};
constexpr Role kPattern[10] = {Role::kPing,    Role::kPong,    Role::kChurner, Role::kChurner,
                               Role::kCrasher, Role::kCrasher, Role::kSleeper, Role::kCounter,
                               Role::kLeaker,  Role::kSpinner};
constexpr StringView kRoleNames[] = {"ping",    "pong",    "churner", "crasher",
                                     "sleeper", "counter", "leaker",  "spinner"};

struct Slot {
  Role role;
  uint32_t pid;        // 0: not running
  uint32_t partner;    // the other half of a ping/pong pair
  uint32_t queues[2];  // a pair's queues (kept in the ping's slot)
};

struct Tally {
  uint64_t spawned, exited, crashed, killed, unexpected, spawn_failures;
  TextBuffer first_unexpected;
};

struct Soak {
  Slot slots[kMaxSlots];
  size_t count;
  Prng prng;
  Tally tally;
  bool draining;
};

StringView role_name(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

bool meant(Role role, const kernel::ExitStatus& status) {
  switch (role) {
    case Role::kCrasher:
      return status.kind == kernel::ExitKind::kCrashed;
    case Role::kSpinner:
      return status.kind == kernel::ExitKind::kKilled && status.reason == "cpu_limit";
    default:
      return status.kind == kernel::ExitKind::kExited && status.code == 0;
  }
}

uint32_t spawn(Soak& soak, StringView image, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
               const kernel::Quota& quota = kernel::Quota{}) {
  int64_t pid = kernel::spawn(kernel::SpawnRequest{image, {a0, a1, a2, a3}, quota});
  if (pid <= 0) {
    ++soak.tally.spawn_failures;  // out of memory for a moment: the slot is retried later
    return 0;
  }
  ++soak.tally.spawned;
  return static_cast<uint32_t>(pid);
}

void close_pair_queues(Slot& ping) {
  for (uint32_t& q : ping.queues) {
    if (q != 0) kernel::ipc_close(q, 0);
    q = 0;
  }
}

void start_pair(Soak& soak, Slot& ping, Slot& pong) {
  int64_t forward = kernel::ipc_create(0, 4), back = kernel::ipc_create(0, 4);
  ping.queues[0] = forward > 0 ? static_cast<uint32_t>(forward) : 0;
  ping.queues[1] = back > 0 ? static_cast<uint32_t>(back) : 0;
  if (forward <= 0 || back <= 0) {
    close_pair_queues(ping);
    ++soak.tally.spawn_failures;
    return;
  }
  uint64_t count = 100 + soak.prng.below(200);
  pong.pid = spawn(soak, "pingpong", 1, ping.queues[0], ping.queues[1], count);
  ping.pid = spawn(soak, "pingpong", 0, ping.queues[1], ping.queues[0], count);
  if (ping.pid == 0 || pong.pid == 0) close_pair_queues(ping);  // the survivor wakes and ends
}

// Starts whatever the slot's role runs, with fresh seeded arguments.
void start(Soak& soak, size_t index) {
  Slot& s = soak.slots[index];
  Prng& r = soak.prng;
  switch (s.role) {
    case Role::kPing:
    case Role::kPong: {
      Slot& ping = s.role == Role::kPing ? s : soak.slots[s.partner];
      Slot& pong = s.role == Role::kPing ? soak.slots[s.partner] : s;
      if (ping.pid == 0 && pong.pid == 0) start_pair(soak, ping, pong);
      return;
    }
    case Role::kChurner:
      s.pid = spawn(soak, "churner", r.next(), 50 + r.below(150), 16 + r.below(48), 0);
      return;
    case Role::kCrasher:
      s.pid = spawn(soak, "crasher", r.below(6), r.below(500), 0, 0);
      return;
    case Role::kSleeper:
      s.pid = spawn(soak, "sleeper", 1 + r.below(20), 5 + r.below(45), 0, 0);
      return;
    case Role::kCounter:
      s.pid = spawn(soak, "counter", 50000 + r.below(150000), 1000, 0, 0);
      return;
    case Role::kLeaker:
      s.pid = spawn(soak, "leaker", 1 + r.below(64), r.below(4), r.below(2), 10 + r.below(200));
      return;
    case Role::kSpinner: {
      kernel::Quota quota;
      quota.cpu_limit_ms = 200 + r.below(300);
      s.pid = spawn(soak, "spinner", 0, 0, 0, 0, quota);
      return;
    }
  }
}

void record(Soak& soak, Slot& slot, uint32_t pid, const kernel::ExitStatus& status) {
  Tally& t = soak.tally;
  t.exited += status.kind == kernel::ExitKind::kExited;
  t.crashed += status.kind == kernel::ExitKind::kCrashed;
  t.killed += status.kind == kernel::ExitKind::kKilled;
  if (meant(slot.role, status)) return;
  if (t.unexpected++ == 0) {
    t.first_unexpected.add("pid_").add(uint64_t{pid}).add("_").add(role_name(slot.role)).add("_");
    selftest::describe(t.first_unexpected, status);
  }
}

// One process ended: tally it and, unless the soak is draining, start its slot again.
void on_end(Soak& soak, uint32_t pid, const kernel::ExitStatus& status) {
  for (size_t i = 0; i < soak.count; ++i) {
    Slot& s = soak.slots[i];
    if (s.pid != pid) continue;
    s.pid = 0;
    record(soak, s, pid, status);
    bool paired = s.role == Role::kPing || s.role == Role::kPong;
    if (paired) {
      Slot& ping = s.role == Role::kPing ? s : soak.slots[s.partner];
      Slot& pong = s.role == Role::kPing ? soak.slots[s.partner] : s;
      // A half that failed would leave the other blocked: closing the queues wakes it.
      if ((ping.pid == 0 && pong.pid == 0) || !meant(s.role, status)) close_pair_queues(ping);
    }
    if (!soak.draining) start(soak, i);
    return;
  }
}

// Roles for `procs` slots; a ping without a partner slot becomes a counter.
void assign_roles(Soak& soak, size_t procs) {
  soak.count = procs;
  for (size_t i = 0; i < procs; ++i) soak.slots[i] = Slot{kPattern[i % 10], 0, 0, {0, 0}};
  for (size_t i = 0; i < procs; ++i) {
    if (soak.slots[i].role != Role::kPing) continue;
    if (i + 1 < procs) {
      soak.slots[i].partner = static_cast<uint32_t>(i + 1);
      soak.slots[i + 1].partner = static_cast<uint32_t>(i);
    } else {
      soak.slots[i].role = Role::kCounter;
    }
  }
}

// Restarts slots whose spawn failed (memory was short for a moment).
void refill(Soak& soak) {
  for (size_t i = 0; i < soak.count; ++i)
    if (soak.slots[i].pid == 0) start(soak, i);
}

// What the verdict tests judge (set by run()).
constinit const Tally* final_tally = nullptr;
constinit selftest::MemorySnapshot baseline{};

void soak_no_pages_leaked(kernel::TestContext& context) {
  selftest::expect_no_leak(context, baseline, "after_the_soak");
}

void soak_no_unexpected_outcome(kernel::TestContext& context) {
  selftest::expect_none_unexpected(context, final_tally->unexpected,
                                   final_tally->first_unexpected.view());
}

constexpr kernel::SelfTest kVerdicts[] = {
    {"soak_no_pages_leaked", soak_no_pages_leaked},
    {"soak_no_unexpected_outcome", soak_no_unexpected_outcome},
};

uint32_t run(const kernel::ScenarioContext& context) {
  Soak soak{{}, 0, Prng(context.seed), {}, false};
  size_t procs = context.params[0];
  uint64_t duration = context.params[1] * kSecond, period = context.params[2] * kSecond;
  kernel::process_init();
  baseline = selftest::memory_snapshot();
  kernel::emit<markers::kSoakStart>(uint64_t{procs}, context.params[1]);
  assign_roles(soak, procs);
  uint64_t begin = kernel::uptime_ns(), end = begin + duration, next_metrics = begin + period;
  refill(soak);
  kernel::emit_metrics();
  for (uint64_t now = begin; now < end; now = kernel::uptime_ns()) {
    uint32_t pid = 0;
    kernel::ExitStatus status;
    if (kernel::wait_child(0, next_metrics < end ? next_metrics : end, pid, status))
      on_end(soak, pid, status);
    if (kernel::uptime_ns() >= next_metrics) {
      refill(soak);
      kernel::emit_metrics();
      next_metrics += period;
    }
  }
  soak.draining = true;
  uint64_t drain_end = kernel::uptime_ns() + kDrainNs;
  uint32_t pid = 0;
  kernel::ExitStatus status;
  while (kernel::wait_child(0, drain_end, pid, status)) on_end(soak, pid, status);
  size_t stragglers = kernel::reap_children();
  soak.tally.unexpected += stragglers;
  if (stragglers != 0 && soak.tally.first_unexpected.view().empty())
    soak.tally.first_unexpected.add(uint64_t{stragglers}).add("_still_running_after_the_drain");
  for (size_t i = 0; i < soak.count; ++i) close_pair_queues(soak.slots[i]);

  const Tally& t = soak.tally;
  selftest::MemorySnapshot now = selftest::memory_snapshot();
  uint64_t leaked =
      now.frames_used > baseline.frames_used ? now.frames_used - baseline.frames_used : 0;
  kernel::emit<markers::kSoakProcSummary>(t.spawned, t.exited, t.crashed, t.killed, t.unexpected,
                                          leaked);
  final_tally = &soak.tally;
  kernel::TestRunner verdict;
  verdict.run(kVerdicts, 2);
  kernel::emit_metrics();
  kernel::report_heap_leaks(UINT32_MAX);
  bool pass = verdict.finish() == 0;
  kernel::emit<markers::kSoakComplete>(StringView(pass ? "pass" : "fail"));
  return pass ? 0 : 1;
}

}  // namespace

const kernel::Scenario kProcSoak = kernel::make_scenario("procsoak", kParams, run);

}  // namespace rayos::workloads
