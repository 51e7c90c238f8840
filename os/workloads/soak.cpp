// The compositor soaks: N VirtualClients (os/user/programs/client.cpp) on the compositor for S
// seconds of guest time, with a SOAK:METRICS_SNAPSHOT every second (os/kernel/
// compositor_metrics.h). Three workloads share the runner:
//   soak            clients=N duration_sec=S leak_kib_per_min=X input_hz=H — mixed clients: two
//                   64 px surfaces each, redrawn at 30 Hz, a drag every 10 s, a surface replaced
//                   every 10 s;
//   surface_churn   the same parameters — four 32 px surfaces each, a surface destroyed and
//                   created anew 10 times a second (continuous surface creation);
//   sustained_60fps the same parameters — every client redraws at 60 Hz (one 96 px surface),
//                   the load of a display that must keep up with every frame.
// leak_kib_per_min > 0 makes the clients together leak that much memory per minute (mapped,
// touched, never freed while they run), so mem_kb grows; the harness's leak analysis must see it.
// A client that ends before it is asked to is restarted (SOAK:CLIENT_DESTROYED, CLIENT_CREATED)
// and counted. At the end every client is asked to quit; then the guest judges the run (TEST
// markers): every client ended as asked, frames were composed, and nothing the clients or the
// compositor held is left — then SOAK:COMPOSITOR_SUMMARY and SOAK:COMPLETE:<pass|fail>.
#include "os/core/compositor_workload.h"
#include "os/core/prng.h"
#include "os/core/syscall_abi.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/compositor_metrics.h"
#include "os/kernel/console.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/kernel/selftest.h"
#include "os/workloads/selftest/test_support.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

// Every client is a process: the table also holds the boot and idle tasks.
constexpr uint64_t kMaxSoakClients = compositor::kMaxClients < kernel::kMaxProcesses - 2
                                         ? compositor::kMaxClients
                                         : kernel::kMaxProcesses - 2;
constexpr ParamSpec kParams[] = {{"clients", 1, kMaxSoakClients, 4},
                                 {"duration_sec", 1, 604800, 60},
                                 {"leak_kib_per_min", 0, 1u << 20, 0},
                                 {"input_hz", 1, 1000, 30}};
constexpr uint64_t kSecond = 1'000'000'000;
constexpr uint64_t kQuitTimeoutNs = 10 * kSecond;

struct Preset {
  uint32_t draw_hz, dnd_per_min, churn_per_min, surfaces, side;
};
constexpr Preset kMixed{30, 6, 6, 2, 64};
constexpr Preset kChurn{20, 6, 600, 4, 32};
constexpr Preset kSixty{60, 2, 0, 1, 96};

struct Slot {
  uint32_t pid;  // 0: not running
  bool quit_asked;
};

struct Soak {
  const Preset* preset;
  uint64_t clients;
  uint64_t leak_bytes_per_client_min;
  uint64_t leak_pages_per_client;
  Slot slots[compositor::kMaxClients];
  uint64_t seed_state;  // splitmix64: each client's seed
  uint64_t started, unexpected, spawn_failures;
  TextBuffer first_unexpected;
  kernel::SoakMetrics metrics;
};

uint32_t start_client(Soak& soak, uint32_t index) {
  compositor::ClientWorkload w;
  w.seed = splitmix64(soak.seed_state);
  w.draw_hz = soak.preset->draw_hz;
  w.dnd_per_min = soak.preset->dnd_per_min;
  w.churn_per_min = soak.preset->churn_per_min;
  w.surfaces = soak.preset->surfaces;
  w.side = soak.preset->side;
  w.leak_bytes_per_min = soak.leak_bytes_per_client_min;
  w.index = index;
  int64_t pid = kernel::spawn_virtual_client(w, soak.leak_pages_per_client);
  if (pid <= 0) {
    ++soak.spawn_failures;  // memory short for a moment: retried at the next snapshot
    return 0;
  }
  ++soak.started;
  kernel::emit<markers::kSoakClientCreated>(static_cast<uint32_t>(pid));
  return static_cast<uint32_t>(pid);
}

void note_unexpected(Soak& soak, uint32_t pid, const kernel::ExitStatus& status) {
  if (soak.unexpected++ != 0) return;
  soak.first_unexpected.add("client_").add(uint64_t{pid}).add("_");
  selftest::describe(soak.first_unexpected, status);
}

// Collects every client that has ended; restarts it unless it was asked to quit.
void collect(Soak& soak, bool restart) {
  uint32_t pid = 0;
  kernel::ExitStatus status;
  while (kernel::wait_child(0, 0, pid, status)) {
    for (uint32_t i = 0; i < soak.clients; ++i) {
      Slot& slot = soak.slots[i];
      if (slot.pid != pid) continue;
      kernel::emit<markers::kSoakClientDestroyed>(pid);
      bool meant = slot.quit_asked && status.kind == kernel::ExitKind::kExited && status.code == 0;
      if (!meant) note_unexpected(soak, pid, status);
      slot = Slot{0, false};
      if (restart) slot.pid = start_client(soak, i);
    }
  }
}

// Once a second at most, so that a machine short of memory is not flooded with spawn attempts.
void refill(Soak& soak) {
  for (uint32_t i = 0; i < soak.clients; ++i)
    if (soak.slots[i].pid == 0) soak.slots[i].pid = start_client(soak, i);
}

void on_frame(void* context) {
  Soak& soak = *static_cast<Soak*>(context);
  collect(soak, true);
  if (soak.metrics.poll()) refill(soak);
}

void on_drain_frame(void* context) { collect(*static_cast<Soak*>(context), false); }

bool all_ended(const Soak& soak) {
  for (uint32_t i = 0; i < soak.clients; ++i)
    if (soak.slots[i].pid != 0) return false;
  return true;
}

// Asks every client to quit and composes frames until they have (or the timeout).
void drain(Soak& soak) {
  for (uint32_t i = 0; i < soak.clients; ++i) {
    Slot& slot = soak.slots[i];
    if (slot.pid == 0) continue;
    slot.quit_asked = kernel::compositor_request_quit(slot.pid);
  }
  uint64_t end = kernel::uptime_ns() + kQuitTimeoutNs;
  while (!all_ended(soak) && kernel::uptime_ns() < end) {
    kernel::compositor_run_until(kernel::uptime_ns() + kSecond / 10, on_drain_frame, &soak);
    for (uint32_t i = 0; i < soak.clients; ++i) {  // a queue that was full refused the quit
      Slot& slot = soak.slots[i];
      if (slot.pid != 0 && !slot.quit_asked)
        slot.quit_asked = kernel::compositor_request_quit(slot.pid);
    }
  }
  collect(soak, false);
  size_t stragglers = kernel::reap_children();
  if (stragglers == 0) return;
  if (soak.unexpected == 0)
    soak.first_unexpected.add(uint64_t{stragglers}).add("_clients_did_not_quit");
  soak.unexpected += stragglers;
}

// What the verdict tests judge (set by run()).
constinit const Soak* final_soak = nullptr;
constinit uint64_t final_frames = 0;
constinit uint64_t final_running = 0;  // clients running when the measured time ended
constinit selftest::MemorySnapshot baseline{};

void soak_clients_ended_as_asked(kernel::TestContext& context) {
  selftest::expect_none_unexpected(context, final_soak->unexpected,
                                   final_soak->first_unexpected.view());
}

void soak_frames_composed(kernel::TestContext& context) {
  context.expect(final_frames > 0, "no_frame_composed");
}

void soak_all_clients_running(kernel::TestContext& context) {
  if (final_running == final_soak->clients) return;
  context.fail()
      .add(final_running)
      .add("_of_")
      .add(final_soak->clients)
      .add("_clients_running_")
      .add(final_soak->spawn_failures)
      .add("_spawn_failures");
}

void soak_nothing_left_behind(kernel::TestContext& context) {
  selftest::expect_no_leak(context, baseline, "after_the_soak");
}

constexpr kernel::SelfTest kVerdicts[] = {
    {"soak_clients_ended_as_asked", soak_clients_ended_as_asked},
    {"soak_frames_composed", soak_frames_composed},
    {"soak_all_clients_running", soak_all_clients_running},
    {"soak_nothing_left_behind", soak_nothing_left_behind},
};

uint32_t run_soak(const kernel::ScenarioContext& context, const Preset& preset) {
  Soak soak{};
  soak.preset = &preset;
  soak.clients = context.params[0];
  uint64_t duration = context.params[1] * kSecond;
  uint64_t leak_kib = context.params[2];
  soak.leak_bytes_per_client_min = leak_kib * 1024 / soak.clients;
  // Room for the whole leak over the run, on top of the default quota.
  soak.leak_pages_per_client =
      soak.leak_bytes_per_client_min * (context.params[1] / 60 + 1) / abi::kPageSize + 64;
  for (Slot& slot : soak.slots) slot = Slot{0, false};
  soak.seed_state = context.seed;
  soak.started = soak.unexpected = soak.spawn_failures = 0;
  soak.first_unexpected.clear();

  kernel::process_init();
  baseline = selftest::memory_snapshot();
  kernel::CompositorOptions options;
  options.input_hz = static_cast<uint32_t>(context.params[3]);
  options.seed = context.seed;
  if (!kernel::compositor_start(options)) {
    kernel::emit<markers::kSoakComplete>(StringView("fail"));
    return 1;
  }
  // The measured time starts with the frame clock, so that each second holds 60 deadlines.
  soak.metrics.begin(kernel::compositor_epoch_ns());
  kernel::emit<markers::kSoakStart>(static_cast<uint32_t>(soak.clients), context.params[1]);
  for (uint32_t i = 0; i < soak.clients; ++i) soak.slots[i].pid = start_client(soak, i);
  uint64_t end = kernel::compositor_epoch_ns() + duration;
  // Up to and including the frame due at `end`: it closes the last second.
  kernel::compositor_run_until(end + 1, on_frame, &soak);
  // The last second ends with the duration, not at the next frame.
  soak.metrics.poll();
  final_frames = soak.metrics.frames_reported();
  final_running = 0;
  for (uint32_t i = 0; i < soak.clients; ++i) final_running += soak.slots[i].pid != 0;
  // The soak's totals end with its last snapshot: their frames are the snapshots' fps summed.
  kernel::CompositorTotals t = kernel::compositor_totals();
  drain(soak);
  kernel::compositor_stop();
  kernel::emit<markers::kSoakCompositorSummary>(
      t.frames_composed, t.frames_dropped, t.pixels_blended, t.events_queued, t.events_overflowed,
      t.latency_reports, t.drags_completed, t.drags_cancelled);
  final_soak = &soak;
  kernel::TestRunner verdict;
  verdict.run(kVerdicts, sizeof kVerdicts / sizeof kVerdicts[0]);
  kernel::report_heap_leaks(UINT32_MAX);
  bool pass = verdict.finish() == 0;
  kernel::emit<markers::kSoakComplete>(StringView(pass ? "pass" : "fail"));
  return pass ? 0 : 1;
}

uint32_t run_mixed(const kernel::ScenarioContext& context) { return run_soak(context, kMixed); }
uint32_t run_churn(const kernel::ScenarioContext& context) { return run_soak(context, kChurn); }
uint32_t run_sixty(const kernel::ScenarioContext& context) { return run_soak(context, kSixty); }

}  // namespace

const kernel::Scenario kSoak = kernel::make_scenario("soak", kParams, run_mixed);
const kernel::Scenario kSurfaceChurn = kernel::make_scenario("surface_churn", kParams, run_churn);
const kernel::Scenario kSustained60Fps =
    kernel::make_scenario("sustained_60fps", kParams, run_sixty);

}  // namespace rayos::workloads
