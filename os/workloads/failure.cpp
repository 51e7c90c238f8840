// The failure-injection scenarios (docs/rayos.md "Failure scenarios", checked by the harness's
// failure analyzer, inject/failure_analyzer.h). Each injects real faults, one at a time, into a
// running system — VirtualClients (os/user/programs/client.cpp) composing on the compositor, or
// processes waiting on IPC queues — and prints for every fault
//   FAILURE:INJECT:<scenario>:<target>   the fault is applied to the target (a pid)
//   FAILURE:DETECTED:<type>:<target>     the system noticed it
//   FAILURE:RECOVERY_START:<target>
//   FAILURE:RECOVERY_TIME:<target>:<detect_us>:<recovery_us>   the guest's own timing (TSC)
//   FAILURE:RECOVERY_COMPLETE:<target>:<success|timeout>
// and at the end FAILURE:TEST_COMPLETE:<pass|fail>, with a FAILURE:CHECK_FAILED naming every
// check that did not hold. The end of any process nobody targeted is printed as a DETECTED for
// its pid with no INJECT before it: the analyzer counts it as a cascading failure.
//
// A recovery is "success" when it ended, "timeout" when it was given up, 1 s past the recovery
// deadline (so that a late recovery is reported as late, with its time, rather than missing);
// TEST_COMPLETE also fails when a recovery took longer than the deadline.
#include "os/core/compositor_workload.h"
#include "os/core/crc32c.h"
#include "os/core/prng.h"
#include "os/core/syscall_abi.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/console.h"
#include "os/kernel/ipc.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"
#include "os/workloads/selftest/test_support.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

using kernel::ExitKind;
using kernel::ExitStatus;

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kSecond = 1000 * kMs;
constexpr uint64_t kFrameNs = kSecond / 60;
constexpr uint64_t kGiveUpPastDeadlineNs = kSecond;
constexpr uint64_t kQuitTimeoutNs = 10 * kSecond;
constexpr uint32_t kMaxFleet = 16;
constexpr uint32_t kMaxEndings = 16;

constexpr ParamSpec kDeadline{"recovery_deadline_ms", 10, 600000, 5000};

// A process whose end the current fault expects, and how it ended.
struct Ending {
  uint32_t pid;  // 0: free
  bool ended;
  ExitStatus status;
};

struct Run {
  kernel::CompositorOptions options;  // when the scenario runs the compositor
  uint64_t deadline_ns;
  uint64_t seed_state;  // splitmix64: client seeds and random picks
  compositor::ClientWorkload workload;
  uint32_t fleet;  // clients the scenario keeps running
  uint32_t clients[kMaxFleet];
  Ending endings[kMaxEndings];
  // The fault in progress.
  uint32_t target;
  uint64_t inject_ns, detect_ns;
  uint64_t injected, checks_failed, cascading;
};

constinit Run run{};

uint64_t pick(uint64_t bound) { return splitmix64(run.seed_state) % bound; }

void check(bool ok, uint32_t id, StringView what) {
  if (ok) return;
  ++run.checks_failed;
  kernel::emit<markers::kFailureCheckFailed>(id, what);
}

StringView kind_name(const ExitStatus& status) {
  switch (status.kind) {
    case ExitKind::kExited:
      return "exited";
    case ExitKind::kCrashed:
      return "crashed";
    case ExitKind::kKilled:
      return "killed";
  }
  return "ended";
}

uint32_t spawn_client(uint32_t index, const compositor::ClientWorkload& base) {
  compositor::ClientWorkload w = base;
  w.seed = splitmix64(run.seed_state);
  w.index = index;
  int64_t pid = kernel::spawn_virtual_client(w, 0);
  return pid > 0 ? static_cast<uint32_t>(pid) : 0;
}

void expect_end(uint32_t pid) {
  for (Ending& e : run.endings)
    if (e.pid == 0) {
      e = Ending{pid, false, {}};
      return;
    }
  check(false, pid, "too_many_pending_ends");
}

// Collects every child that has ended. An expected end is recorded; any other is a cascading
// failure — printed as a DETECTED nobody injected — and its client slot is refilled.
void reap() {
  uint32_t pid = 0;
  ExitStatus status;
  while (kernel::wait_child(0, 0, pid, status)) {
    bool expected = false;
    for (Ending& e : run.endings)
      if (e.pid == pid && !e.ended) {
        e.ended = true;
        e.status = status;
        expected = true;
      }
    if (expected) continue;
    ++run.cascading;
    kernel::emit<markers::kFailureDetected>(kind_name(status), pid);
    for (uint32_t i = 0; i < run.fleet; ++i)
      if (run.clients[i] == pid) run.clients[i] = spawn_client(i, run.workload);
  }
}

void on_frame(void*) { reap(); }

// Lets the system run for a frame (composing, when the compositor runs) and collects the dead.
void step() {
  if (kernel::compositor_running())
    kernel::compositor_run_until(kernel::uptime_ns() + kFrameNs, on_frame, nullptr);
  else
    kernel::sleep_until(kernel::uptime_ns() + kMs);
  reap();
}

void run_until(uint64_t until_ns) {
  while (kernel::uptime_ns() < until_ns) step();
}

// Waits until `pid` (registered with expect_end) has ended or `until_ns` passes.
bool wait_end(uint32_t pid, uint64_t until_ns, ExitStatus& status) {
  for (;;) {
    reap();
    for (Ending& e : run.endings)
      if (e.pid == pid && e.ended) {
        status = e.status;
        e = Ending{};
        return true;
      }
    if (kernel::uptime_ns() >= until_ns) return false;
    step();
  }
}

bool exited_cleanly(const ExitStatus& s) { return s.kind == ExitKind::kExited && s.code == 0; }

uint64_t give_up_at() { return run.inject_ns + run.deadline_ns + kGiveUpPastDeadlineNs; }

void inject(StringView scenario, uint32_t target) {
  run.target = target;
  run.detect_ns = 0;
  ++run.injected;
  run.inject_ns = kernel::uptime_ns();
  kernel::emit<markers::kFailureInject>(scenario, target);
}

void detected(StringView type) {
  run.detect_ns = kernel::uptime_ns();
  kernel::emit<markers::kFailureDetected>(type, run.target);
  kernel::emit<markers::kFailureRecoveryStart>(run.target);
}

void complete(bool recovered) {
  uint64_t took = kernel::uptime_ns() - run.inject_ns;
  uint64_t detect_us = run.detect_ns == 0 ? 0 : (run.detect_ns - run.inject_ns) / 1000;
  check(run.detect_ns != 0, run.target, "not_detected");
  check(recovered, run.target, "not_recovered");
  check(took <= run.deadline_ns, run.target, "recovery_past_deadline");
  kernel::emit<markers::kFailureRecoveryTime>(run.target, detect_us, took / 1000);
  kernel::emit<markers::kFailureRecoveryComplete>(run.target,
                                                  StringView(recovered ? "success" : "timeout"));
}

// The client answers a probe event before `until_ns`: it is registered, reads its queue and
// reports back. A full queue refuses the probe: it is queued again once the client has read.
bool answers(uint32_t pid, uint64_t until_ns) {
  for (uint64_t now = kernel::uptime_ns(); now < until_ns; now = kernel::uptime_ns()) {
    int64_t result = kernel::compositor_probe(pid, until_ns - now);
    reap();
    if (result >= 0) return true;
    if (result != abi::kErrAgain) return false;
    step();
  }
  return false;
}

// Every client but `except` still answers, and frames were composed meanwhile: the fault stayed
// with its target.
bool others_composing(uint32_t except, uint64_t until_ns) {
  uint64_t frames = kernel::compositor_totals().frames_composed;
  for (uint32_t i = 0; i < run.fleet; ++i) {
    uint32_t pid = run.clients[i];
    if (pid != 0 && pid != except && !answers(pid, until_ns)) {
      check(false, pid, "bystander_stopped_answering");
      return false;
    }
  }
  if (kernel::compositor_totals().frames_composed == frames) step();
  return kernel::compositor_totals().frames_composed > frames;
}

uint32_t live_clients() {
  uint32_t n = 0;
  for (uint32_t i = 0; i < run.fleet; ++i) n += run.clients[i] != 0;
  return n;
}

constinit selftest::MemorySnapshot baseline{};

// Sets up the run; with `options` (non-null) starts the compositor and `clients` clients.
bool begin(const kernel::ScenarioContext& context, uint64_t deadline_ms, uint32_t clients,
           const kernel::CompositorOptions* options) {
  run = Run{};
  run.deadline_ns = deadline_ms * kMs;
  run.seed_state = context.seed;
  run.workload.draw_hz = 30;
  // No drags and no churn: a bystander's memory and behaviour stay steady, so that anything it
  // suffers comes from the injected fault.
  run.workload.dnd_per_min = 0;
  run.workload.churn_per_min = 0;
  run.workload.surfaces = 2;
  run.workload.side = 48;
  kernel::process_init();
  baseline = selftest::memory_snapshot();
  if (options == nullptr) return true;
  run.options = *options;
  if (!kernel::compositor_start(*options)) {
    check(false, 0, "compositor_did_not_start");
    return false;
  }
  run.fleet = clients;
  for (uint32_t i = 0; i < clients; ++i) {
    run.clients[i] = spawn_client(i, run.workload);
    check(run.clients[i] != 0, i, "client_did_not_start");
  }
  // Each client maps its surfaces before the first fault.
  for (uint32_t i = 0; i < clients; ++i)
    if (run.clients[i] != 0)
      check(answers(run.clients[i], kernel::uptime_ns() + kSecond), run.clients[i],
            "client_not_answering_at_start");
  return true;
}

// Asks every client to quit and waits for them to, whatever is left is killed; then judges the
// run: the requested faults were injected, every check held, no cascading failure, and the
// memory, heap and queues are back to what they were before the scenario.
uint32_t finish(uint64_t faults_wanted) {
  uint64_t until = kernel::uptime_ns() + kQuitTimeoutNs;
  for (uint32_t i = 0; i < run.fleet; ++i) {
    uint32_t pid = run.clients[i];
    if (pid == 0) continue;
    expect_end(pid);
    while (!kernel::compositor_request_quit(pid) && kernel::uptime_ns() < until) step();
    ExitStatus status;
    bool ended = wait_end(pid, until, status);
    check(ended && exited_cleanly(status), pid, "client_did_not_quit_as_asked");
    run.clients[i] = 0;
  }
  check(kernel::reap_children() == 0, 0, "processes_left_at_the_end");
  if (kernel::compositor_running()) kernel::compositor_stop();
  check(run.injected == faults_wanted, 0, "fewer_faults_injected_than_asked");
  check(run.cascading == 0, 0, "cascading_failure");
  selftest::MemorySnapshot now = selftest::memory_snapshot();
  check(now.frames_used == baseline.frames_used, 0, "frames_leaked");
  check(now.committed_pages == baseline.committed_pages, 0, "committed_pages_leaked");
  check(now.heap_live_blocks == baseline.heap_live_blocks, 0, "heap_blocks_leaked");
  check(now.queues == baseline.queues, 0, "ipc_queues_leaked");
  bool pass = run.checks_failed == 0;
  kernel::emit<markers::kFailureTestComplete>(StringView(pass ? "pass" : "fail"));
  return pass ? 0 : 1;
}

// The scenarios made of rounds: `round(r)` runs `rounds` times among `clients` clients, each
// after 100 ms of undisturbed composing. `valid` (may be null) vets the parameters first.
uint32_t run_rounds(const kernel::ScenarioContext& context, uint64_t clients, uint64_t rounds,
                    uint64_t deadline_ms, const kernel::CompositorOptions& options,
                    void (*round)(uint64_t), bool (*valid)() = nullptr) {
  if (!begin(context, deadline_ms, static_cast<uint32_t>(clients), &options) ||
      (valid != nullptr && !valid()))
    return finish(rounds);
  for (uint64_t r = 0; r < rounds; ++r) {
    run_until(kernel::uptime_ns() + 100 * kMs);
    round(r);
  }
  return finish(rounds);
}

kernel::CompositorOptions options_for(const kernel::ScenarioContext& context) {
  kernel::CompositorOptions options;
  options.seed = context.seed;
  return options;
}

// ---- failure_crashes clients=N crashes=C duration_sec=S: C clients killed at random over S s.

constexpr ParamSpec kCrashParams[] = {{"clients", 2, kMaxFleet, 4},
                                      {"crashes", 1, 100000, 1000},
                                      {"duration_sec", 1, 86400, 600},
                                      kDeadline};

uint32_t run_crashes(const kernel::ScenarioContext& context) {
  uint64_t crashes = context.params[1];
  kernel::CompositorOptions options = options_for(context);
  if (!begin(context, context.params[3], static_cast<uint32_t>(context.params[0]), &options))
    return finish(crashes);
  uint64_t start = kernel::uptime_ns();
  uint64_t gap = context.params[2] * kSecond / crashes;
  for (uint64_t k = 0; k < crashes; ++k) {
    run_until(start + k * gap);
    uint32_t slot = static_cast<uint32_t>(pick(run.fleet));
    if (run.clients[slot] == 0) run.clients[slot] = spawn_client(slot, run.workload);
    uint32_t victim = run.clients[slot];
    if (victim == 0) {
      check(false, slot, "no_client_to_crash");
      continue;
    }
    inject("client_crash", victim);
    expect_end(victim);
    kernel::kill_process(victim, "injected_crash");
    ExitStatus status;
    run.clients[slot] = 0;
    if (!wait_end(victim, give_up_at(), status)) {
      complete(false);
      continue;
    }
    detected(kind_name(status));
    check(!kernel::compositor_is_client(victim), victim, "dead_client_still_registered");
    check(kernel::compositor_tables().clients == live_clients(), victim,
          "compositor_client_count_wrong");
    if (kernel::planted(kBugHangClientRecovery)) {
      // The planted defect: waits for the dead pid to come back instead of starting a new one,
      // until a timeout that lies past the recovery deadline (and before the recovery gives up).
      uint64_t gives_up_at = run.inject_ns + run.deadline_ns + kGiveUpPastDeadlineNs / 2;
      while (!kernel::compositor_is_client(victim) && kernel::uptime_ns() < gives_up_at) step();
    }
    run.clients[slot] = spawn_client(slot, run.workload);
    bool ok = run.clients[slot] != 0 && answers(run.clients[slot], give_up_at()) &&
              others_composing(run.clients[slot], give_up_at());
    complete(ok);
  }
  return finish(crashes);
}

// ---- failure_buffer_exhaustion clients=N rounds=R pool_buffers=P: hogs fill the buffer pool.

constexpr ParamSpec kExhaustionParams[] = {
    {"clients", 1, 4, 2}, {"rounds", 1, 10000, 3}, {"pool_buffers", 4, 64, 12}, kDeadline};
constexpr uint32_t kMaxHogs = 8;

void exhaustion_round(uint64_t) {
  uint32_t pool = run.options.max_buffers;
  compositor::ClientWorkload hog = run.workload;
  hog.surfaces = compositor::kMaxClientSurfaces;
  hog.side = 16;
  uint32_t hogs[kMaxHogs] = {};
  // One hog more than the free pool holds: someone's allocation must be refused.
  uint32_t free_buffers = pool - kernel::compositor_tables().buffers;
  uint32_t count = free_buffers / hog.surfaces + 1;
  if (count > kMaxHogs) count = kMaxHogs;
  hogs[0] = spawn_client(run.fleet, hog);
  if (hogs[0] == 0) return check(false, 0, "hog_did_not_start");
  inject("buffer_exhaustion", hogs[0]);
  expect_end(hogs[0]);
  for (uint32_t i = 1; i < count; ++i) {
    hogs[i] = spawn_client(run.fleet + i, hog);
    if (hogs[i] != 0) expect_end(hogs[i]);
  }
  while (kernel::compositor_tables().buffers < pool && kernel::uptime_ns() < give_up_at()) step();
  if (kernel::compositor_tables().buffers < pool) return complete(false);
  detected("buffer_pool_exhausted");
  // Refused allocations are an error code to the hogs, not a crash: they and the bystanders go
  // on answering while the pool is full.
  bool ok = others_composing(0, give_up_at());
  for (uint32_t i = 0; i < count; ++i)
    if (hogs[i] != 0) ok = answers(hogs[i], give_up_at()) && ok;
  check(ok, run.target, "not_answering_while_the_pool_was_full");
  // Recovery: the hogs are asked to quit; exit 0 says each tolerated (and counted) its refusals.
  for (uint32_t i = 0; i < count; ++i) {
    if (hogs[i] == 0) continue;
    while (!kernel::compositor_request_quit(hogs[i]) && kernel::uptime_ns() < give_up_at()) step();
    ExitStatus status;
    bool ended = wait_end(hogs[i], give_up_at(), status);
    check(ended && exited_cleanly(status), hogs[i], "hog_did_not_quit_cleanly");
    ok = ok && ended;
  }
  // The pool is free again: a new client gets all its buffers.
  uint32_t before = kernel::compositor_tables().buffers;
  check(before + run.workload.surfaces <= pool, run.target, "buffers_not_freed");
  uint32_t fresh = spawn_client(run.fleet, run.workload);
  if (fresh != 0) expect_end(fresh);
  while (fresh != 0 && kernel::compositor_tables().buffers < before + run.workload.surfaces &&
         kernel::uptime_ns() < give_up_at())
    step();
  ok = ok && fresh != 0 && kernel::compositor_tables().buffers >= before + run.workload.surfaces &&
       answers(fresh, give_up_at());
  complete(ok);
  if (fresh == 0) return;
  ExitStatus status;
  while (!kernel::compositor_request_quit(fresh) && kernel::uptime_ns() < give_up_at()) step();
  check(wait_end(fresh, kernel::uptime_ns() + kQuitTimeoutNs, status) && exited_cleanly(status),
        fresh, "new_client_did_not_quit_cleanly");
}

// The bystanders and the client started after recovery must fit the pool together.
bool pool_fits_the_clients() {
  bool fits = (run.fleet + 1) * run.workload.surfaces <= run.options.max_buffers;
  check(fits, 0, "pool_buffers_too_small_for_the_clients");
  return fits;
}

uint32_t run_exhaustion(const kernel::ScenarioContext& context) {
  kernel::CompositorOptions options = options_for(context);
  options.max_buffers = static_cast<uint32_t>(context.params[2]);
  return run_rounds(context, context.params[0], context.params[1], context.params[3], options,
                    exhaustion_round, pool_fits_the_clients);
}

// ---- failure_queue_overflow clients=N rounds=R queue_capacity=Q: floods one client's queue.

constexpr ParamSpec kOverflowParams[] = {{"clients", 1, kMaxFleet, 3},
                                         {"rounds", 1, 100000, 5},
                                         {"queue_capacity", 4, 64, 16},
                                         kDeadline};

void overflow_round(uint64_t) {
  uint32_t capacity = run.options.queue_capacity;
  uint32_t victim = run.clients[pick(run.fleet)];
  if (victim == 0) return check(false, 0, "no_client_to_flood");
  uint64_t overflowed = kernel::compositor_totals().events_overflowed;
  inject("queue_overflow", victim);
  uint32_t pending = 0;
  uint32_t refused = kernel::compositor_flood(victim, 4 * capacity, pending);
  check(pending <= capacity, victim, "queue_grew_past_its_capacity");
  check(kernel::compositor_totals().events_overflowed == overflowed + refused, victim,
        "overflow_not_counted");
  if (refused == 0) return complete(false);
  detected("event_queue_overflow");
  // The client resynchronises by draining its queue (each event tells it how many were lost);
  // a probe queued behind the flood comes back once it has caught up.
  complete(answers(victim, give_up_at()) && kernel::compositor_is_client(victim) &&
           others_composing(victim, give_up_at()));
}

uint32_t run_overflow(const kernel::ScenarioContext& context) {
  kernel::CompositorOptions options = options_for(context);
  options.queue_capacity = static_cast<uint32_t>(context.params[2]);
  return run_rounds(context, context.params[0], context.params[1], context.params[3], options,
                    overflow_round);
}

// ---- failure_memory_corruption clients=N rounds=R: overflows caught by guard pages and canaries.

constexpr ParamSpec kCorruptionParams[] = {
    {"clients", 1, kMaxFleet, 3}, {"rounds", 1, 100000, 4}, kDeadline};
constexpr uint64_t kCrasherStackOverflow = 5;  // os/user/programs/crasher.cpp
constexpr size_t kOverflowBlock = 48;

// A ring-3 program recurses into its stack's guard page: the page fault ends it alone.
void guard_page_round() {
  int64_t pid = kernel::spawn(kernel::SpawnRequest{"crasher", {kCrasherStackOverflow, 10, 0, 0}});
  if (pid <= 0) return check(false, 0, "crasher_did_not_start");
  uint32_t victim = static_cast<uint32_t>(pid);
  expect_end(victim);
  inject("stack_overflow", victim);
  ExitStatus status;
  if (!wait_end(victim, give_up_at(), status)) return complete(false);
  detected(status.kind == ExitKind::kCrashed ? StringView("guard_page_fault") : kind_name(status));
  check(status.kind == ExitKind::kCrashed, victim, "overflow_not_caught_by_the_guard_page");
  complete(status.kind == ExitKind::kCrashed && others_composing(0, give_up_at()));
}

// A kernel buffer a client owns is written past its end: the heap's trailing canary catches it
// when the buffer is freed, and the owner — only it — is killed and replaced.
void heap_canary_round() {
  uint32_t slot = static_cast<uint32_t>(pick(run.fleet));
  uint32_t victim = run.clients[slot];
  if (victim == 0) return check(false, 0, "no_client_to_corrupt");
  auto* block = static_cast<volatile uint8_t*>(kernel::kmalloc(kOverflowBlock, victim));
  if (block == nullptr) return check(false, victim, "no_heap_block");
  uint64_t overflows = kernel::kernel_heap().stats().overflows;
  inject("heap_overflow", victim);
  for (size_t i = 0; i < kOverflowBlock + 8; ++i) block[i] = static_cast<uint8_t>(i);
  kernel::kfree(const_cast<uint8_t*>(block));
  if (kernel::kernel_heap().stats().overflows != overflows + 1) return complete(false);
  detected("heap_canary");
  expect_end(victim);
  kernel::kill_process(victim, "heap_overflow");
  ExitStatus status;
  run.clients[slot] = 0;
  bool ok = wait_end(victim, give_up_at(), status);
  check(!kernel::compositor_is_client(victim), victim, "dead_client_still_registered");
  run.clients[slot] = spawn_client(slot, run.workload);
  ok = ok && run.clients[slot] != 0 && answers(run.clients[slot], give_up_at()) &&
       others_composing(run.clients[slot], give_up_at());
  complete(ok);
}

void corruption_round(uint64_t r) {
  if (r % 2 == 0)
    guard_page_round();
  else
    heap_canary_round();
}

uint32_t run_corruption(const kernel::ScenarioContext& context) {
  return run_rounds(context, context.params[0], context.params[1], context.params[2],
                    options_for(context), corruption_round);
}

// ---- failure_deadlock rounds=R wait_ms=W: two processes each wait for the other first.

constexpr ParamSpec kDeadlockParams[] = {
    {"rounds", 1, 100000, 3}, {"wait_ms", 10, 60000, 200}, kDeadline};
constexpr uint64_t kPong = 1;  // os/user/programs/pingpong.cpp: receive one, answer value + 1

// pingpong's message: a sequence number, a value and a CRC-32C of both.
struct Message {
  uint64_t seq;
  uint64_t value;
  uint32_t crc;
};

bool both_waiting(uint32_t a, uint32_t b) {
  kernel::Process* pa = kernel::find_process(a);
  kernel::Process* pb = kernel::find_process(b);
  return pa != nullptr && pb != nullptr && pa->waiting_for == kernel::WaitingFor::kQueueRecv &&
         pb->waiting_for == kernel::WaitingFor::kQueueRecv;
}

void deadlock_round(uint64_t wait_ns) {
  int64_t q1 = kernel::ipc_create(0, 1);
  int64_t q2 = kernel::ipc_create(0, 1);
  if (q1 < 0 || q2 < 0) {
    if (q1 >= 0) kernel::ipc_close(static_cast<uint32_t>(q1), 0);
    if (q2 >= 0) kernel::ipc_close(static_cast<uint32_t>(q2), 0);
    return check(false, 0, "no_ipc_queues");
  }
  uint64_t in1 = static_cast<uint64_t>(q1), in2 = static_cast<uint64_t>(q2);
  // a answers on q2 what it receives on q1, b the reverse: each waits for the other to go first.
  int64_t a = kernel::spawn(kernel::SpawnRequest{"pingpong", {kPong, in1, in2, 1}});
  int64_t b = a > 0 ? kernel::spawn(kernel::SpawnRequest{"pingpong", {kPong, in2, in1, 1}}) : -1;
  if (a > 0) expect_end(static_cast<uint32_t>(a));
  if (b > 0) expect_end(static_cast<uint32_t>(b));
  ExitStatus status;
  if (a > 0 && b > 0) {
    uint32_t pa = static_cast<uint32_t>(a), pb = static_cast<uint32_t>(b);
    inject("deadlock", pa);
    // Detection: neither side made progress within the wait, and both block on a receive.
    run_until(kernel::uptime_ns() + wait_ns);
    bool stuck = both_waiting(pa, pb);
    if (stuck) detected("wait_timeout");
    // Broken by aborting one side; the kernel delivers what the survivor waited for.
    kernel::kill_process(pa, "deadlock_broken");
    bool ok = stuck && wait_end(pa, give_up_at(), status);
    uint64_t value = splitmix64(run.seed_state) >> 1;
    Message m{0, value, 0};
    m.crc = crc32c(&m, 16);
    ok = ok && kernel::ipc_send(static_cast<uint32_t>(q2), &m, sizeof m, false) == 0;
    ok = ok && wait_end(pb, give_up_at(), status) && exited_cleanly(status);
    Message reply{};
    ok = ok &&
         kernel::ipc_recv(static_cast<uint32_t>(q1), &reply, sizeof reply, false) ==
             static_cast<int64_t>(sizeof reply) &&
         reply.value == value + 1 && reply.crc == crc32c(&reply, 16);
    complete(ok);
  } else {
    check(false, 0, "pingpong_did_not_start");
  }
  kernel::reap_children();
  for (Ending& e : run.endings) e = Ending{};
  kernel::ipc_close(static_cast<uint32_t>(q1), 0);
  kernel::ipc_close(static_cast<uint32_t>(q2), 0);
}

uint32_t run_deadlock(const kernel::ScenarioContext& context) {
  uint64_t rounds = context.params[0];
  begin(context, context.params[2], 0, nullptr);
  for (uint64_t r = 0; r < rounds; ++r) deadlock_round(context.params[1] * kMs);
  return finish(rounds);
}

// ---- failure_error_chain clients=N rounds=R: memory runs dry while a client is replaced.

constexpr ParamSpec kChainParams[] = {
    {"clients", 1, kMaxFleet, 3}, {"rounds", 1, 10000, 2}, kDeadline};

// Commits every page the memory layer will still promise; returns how many.
uint64_t exhaust_commitments() {
  uint64_t reserved = 0;
  for (uint64_t chunk = uint64_t{1} << 24; chunk != 0; chunk >>= 1)
    while (kernel::commit_pages(chunk)) reserved += chunk;
  return reserved;
}

void chain_round(uint64_t) {
  uint32_t slot = static_cast<uint32_t>(pick(run.fleet));
  uint32_t victim = run.clients[slot];
  if (victim == 0) return check(false, 0, "no_client_to_replace");
  // The workload retires a client and starts its successor while memory is exhausted.
  expect_end(victim);
  while (!kernel::compositor_request_quit(victim)) step();
  ExitStatus status;
  bool quit = wait_end(victim, kernel::uptime_ns() + kQuitTimeoutNs, status);
  check(quit && exited_cleanly(status), victim, "client_did_not_quit_as_asked");
  run.clients[slot] = 0;
  inject("error_chain", victim);
  uint64_t reserved = exhaust_commitments();
  uint32_t layers = 0;
  const auto report = [&](bool saw, StringView layer, StringView error) {
    if (!saw) return check(false, victim, "a_layer_did_not_see_the_error");
    ++layers;
    kernel::emit<markers::kFailureLayerError>(victim, layer, error);
  };
  bool refused = !kernel::commit_pages(1);
  report(refused, "memory", "commit_refused");
  uint32_t clients_before = kernel::compositor_tables().clients;
  compositor::ClientWorkload w = run.workload;
  w.seed = splitmix64(run.seed_state);
  w.index = slot;
  int64_t spawned = kernel::spawn_virtual_client(w, 0);
  if (spawned > 0) run.clients[slot] = static_cast<uint32_t>(spawned);
  report(spawned == abi::kErrNoMemory, "process", "spawn_no_memory");
  report(spawned <= 0 && kernel::compositor_tables().clients == clients_before, "compositor",
         "client_not_registered");
  report(live_clients() == run.fleet - 1 && others_composing(0, give_up_at()), "workload",
         "running_one_client_short");
  if (layers == 4) detected("out_of_memory");
  // Recovery: the pressure ends; the workload's retry starts the successor.
  kernel::uncommit_pages(reserved);
  if (run.clients[slot] == 0) run.clients[slot] = spawn_client(slot, run.workload);
  complete(layers == 4 && run.clients[slot] != 0 && answers(run.clients[slot], give_up_at()));
}

uint32_t run_chain(const kernel::ScenarioContext& context) {
  return run_rounds(context, context.params[0], context.params[1], context.params[2],
                    options_for(context), chain_round);
}

}  // namespace

const kernel::Scenario kFailureCrashes =
    kernel::make_scenario("failure_crashes", kCrashParams, run_crashes);
const kernel::Scenario kFailureBufferExhaustion =
    kernel::make_scenario("failure_buffer_exhaustion", kExhaustionParams, run_exhaustion);
const kernel::Scenario kFailureQueueOverflow =
    kernel::make_scenario("failure_queue_overflow", kOverflowParams, run_overflow);
const kernel::Scenario kFailureMemoryCorruption =
    kernel::make_scenario("failure_memory_corruption", kCorruptionParams, run_corruption);
const kernel::Scenario kFailureDeadlock =
    kernel::make_scenario("failure_deadlock", kDeadlockParams, run_deadlock);
const kernel::Scenario kFailureErrorChain =
    kernel::make_scenario("failure_error_chain", kChainParams, run_chain);

}  // namespace rayos::workloads
