// The perf scenario: `perf op=<operation> samples=N clients=C commit_slowdown_pct=P` times N
// occurrences of one compositor operation with the TSC, each done for real through the
// compositor (docs/rayos.md "Perf" defines each operation), then prints every sample
// (PERF:SAMPLES), the guest's own percentiles, the throughput and the heap's figures. The
// samples are printed after the measurement so that serial output never lands inside one.
#include "os/arch/x86_64/cpu.h"
#include "os/core/compositor_workload.h"
#include "os/core/perf_stats.h"
#include "os/core/prng.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/console.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

enum Op : uint64_t { kClientCreate, kBufferCommit, kEventDelivery, kInputRoundtrip, kComposition };
constexpr StringView kOpNames[] = {"client_create", "buffer_commit", "event_delivery",
                                   "input_roundtrip", "composition"};
constexpr ParamSpec kParams[] = {
    {"op", 0, 0, kBufferCommit, ParamKind::kChoice, kOpNames, 5},
    {"samples", 1, 1'000'000, 1000},
    {"clients", 1, 16, 4},
    {"commit_slowdown_pct", 0, 1000, 0},
};
constexpr uint64_t kSecond = 1'000'000'000;
constexpr uint64_t kOpTimeoutNs = kSecond;  // one client creation or probe
constexpr uint64_t kQuitTimeoutNs = 5 * kSecond;
constexpr uint64_t kWarmupNs = kSecond / 5;
constexpr uint32_t kEventInputHz = 250;  // per client, for event_delivery

struct Profile {
  uint64_t* samples;
  uint64_t capacity;
  uint64_t count;
  TscScale scale;
  // client_create: the first commit after the spawn began (only that client exists then): its
  // pid and when it ended (0: not yet). The client may run before spawn() has even returned.
  bool watch_first_commit;
  uint32_t first_commit_pid;
  uint64_t first_commit_tsc;
  // input_roundtrip: the probed client and when its report arrived (0: not yet).
  uint64_t report_tsc;
  uint32_t pids[16];
  uint64_t write_cycles[16];  // buffer_commit: pids[i]'s buffer write not yet committed
  uint32_t clients;
};

uint64_t* write_cycles_of(Profile& p, uint32_t pid) {
  for (uint32_t i = 0; i < p.clients; ++i)
    if (p.pids[i] == pid) return &p.write_cycles[i];
  return nullptr;
}

void record(Profile& p, uint64_t cycles) {
  if (p.count < p.capacity) p.samples[p.count++] = p.scale.to_ns(cycles);
}

void on_commit(void* context, uint32_t pid, uint64_t start, uint64_t end) {
  Profile& p = *static_cast<Profile*>(context);
  if (p.watch_first_commit) {
    if (p.first_commit_tsc == 0) p.first_commit_pid = pid, p.first_commit_tsc = end;
    return;
  }
  // One buffer commit: the pixels written into the buffer, then the commit that shows them.
  uint64_t* written = write_cycles_of(p, pid);
  if (written == nullptr) return;
  record(p, *written + (end - start));
  *written = 0;
}

void on_buffer_write(void* context, uint32_t pid, uint64_t start, uint64_t end) {
  if (uint64_t* written = write_cycles_of(*static_cast<Profile*>(context), pid))
    *written += end - start;
}

void on_report_delivery(void* context, uint32_t, uint64_t latency_ns, uint64_t) {
  Profile& p = *static_cast<Profile*>(context);
  if (p.count < p.capacity) p.samples[p.count++] = latency_ns;
}

void on_report_arrival(void* context, uint32_t, uint64_t, uint64_t now_tsc) {
  static_cast<Profile*>(context)->report_tsc = now_tsc;
}

void on_frame(void* context, uint64_t start, uint64_t end) {
  record(*static_cast<Profile*>(context), end - start);
}

compositor::ClientWorkload workload(uint64_t& seed_state, uint32_t index, uint32_t draw_hz,
                                    uint32_t side) {
  compositor::ClientWorkload w;
  w.seed = splitmix64(seed_state);
  w.draw_hz = draw_hz;
  w.dnd_per_min = 0;
  w.churn_per_min = 0;
  w.surfaces = 1;
  w.side = side;
  w.index = index;
  return w;
}

// Asks every client to quit and collects it; stragglers are killed. False if one did not end
// with exit code 0.
bool stop_clients(Profile& p) {
  bool clean = true;
  for (uint32_t i = 0; i < p.clients; ++i) kernel::compositor_request_quit(p.pids[i]);
  for (uint32_t i = 0; i < p.clients; ++i) {
    uint32_t which = 0;
    kernel::ExitStatus status;
    if (!kernel::wait_child(p.pids[i], kernel::uptime_ns() + kQuitTimeoutNs, which, status) ||
        status.kind != kernel::ExitKind::kExited || status.code != 0)
      clean = false;
  }
  if (kernel::reap_children() != 0) clean = false;
  p.clients = 0;
  return clean;
}

bool start_clients(Profile& p, uint64_t n, uint64_t& seed_state, uint32_t draw_hz, uint32_t side) {
  for (uint32_t i = 0; i < n; ++i) {
    int64_t pid = kernel::spawn_virtual_client(workload(seed_state, i, draw_hz, side), 0);
    if (pid <= 0) return false;
    p.pids[p.clients++] = static_cast<uint32_t>(pid);
  }
  return true;
}

// Composes frames until `want` samples are in or `timeout_ns` has passed.
void compose_until_sampled(const Profile& p, uint64_t want, uint64_t timeout_ns) {
  uint64_t end = kernel::uptime_ns() + timeout_ns;
  while (p.count < want && kernel::uptime_ns() < end)
    kernel::compositor_run_until(kernel::uptime_ns() + kSecond / 20);
}

// client_create: spawn of a VirtualClient until its first surface is on screen (the end of its
// first commit, which attaches a buffer). The boot task yields meanwhile, so the client runs at
// once; each client is asked to quit and collected before the next.
bool profile_client_create(Profile& p, uint64_t n, uint64_t& seed_state) {
  for (uint64_t i = 0; i < n; ++i) {
    {
      arch::InterruptGuard guard;
      p.watch_first_commit = true;
      p.first_commit_tsc = 0;
    }
    uint64_t start = arch::rdtsc();
    int64_t pid = kernel::spawn_virtual_client(workload(seed_state, 0, 1, 64), 0);
    if (pid <= 0) return false;
    p.pids[p.clients++] = static_cast<uint32_t>(pid);
    uint64_t deadline = kernel::uptime_ns() + kOpTimeoutNs;
    while (p.first_commit_tsc == 0 && kernel::uptime_ns() < deadline) kernel::yield();
    if (p.first_commit_tsc == 0 || p.first_commit_pid != pid) return false;
    record(p, p.first_commit_tsc - start);
    if (!stop_clients(p)) return false;
  }
  return true;
}

// input_roundtrip: a probe event queued to the one client, received by it, and its answer (the
// latency report) back in the compositor; frames run meanwhile as usual.
bool profile_input_roundtrip(Profile& p, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) {
    {
      arch::InterruptGuard guard;
      p.report_tsc = 0;
    }
    uint64_t start = arch::rdtsc();
    if (kernel::compositor_probe(p.pids[0], kOpTimeoutNs) < 0 || p.report_tsc == 0) return false;
    record(p, p.report_tsc - start);
  }
  return true;
}

void print_results(StringView op, const Profile& p, uint64_t elapsed_ns) {
  perf::SampleBatch batch;
  uint64_t first = 0;
  for (uint64_t i = 0; i < p.count; ++i) {
    if (!batch.add(p.samples[i])) {
      kernel::emit<markers::kPerfSamples>(op, first, batch.view());
      first += batch.count();
      batch.clear();
      batch.add(p.samples[i]);
    }
  }
  if (batch.count() > 0) kernel::emit<markers::kPerfSamples>(op, first, batch.view());
  kernel::emit<markers::kPerfProfileEnd>(op, p.count);
  if (p.count == 0) return;

  perf::sort(p.samples, p.count);
  constexpr struct {
    uint32_t per_mille;
    StringView name;
  } kPercentiles[] = {{500, "p50"}, {950, "p95"}, {990, "p99"}, {999, "p999"}};
  for (const auto& q : kPercentiles) {
    char us[perf::kMaxUsChars];
    size_t len = perf::format_us(perf::nearest_rank(p.samples, p.count, q.per_mille), us);
    kernel::emit<markers::kPerfSample>(op, StringView(us, len), q.name);
  }
  kernel::emit<markers::kPerfThroughput>(op, elapsed_ns == 0 ? 0 : p.count * kSecond / elapsed_ns);
}

uint32_t run(const kernel::ScenarioContext& context) {
  const Op op = static_cast<Op>(context.params[0]);
  const uint64_t n = context.params[1];
  const uint64_t clients = context.params[2];
  const StringView name = kOpNames[op];
  uint64_t seed_state = context.seed;

  kernel::process_init();
  Profile p{};
  p.scale = kernel::wait_for_tsc_calibration();
  p.capacity = n;
  p.samples = static_cast<uint64_t*>(kernel::kmalloc(n * sizeof(uint64_t), 0));
  if (p.samples == nullptr) {
    kernel::emit<markers::kPerfReport>("sample_buffer_refused_bytes", n * sizeof(uint64_t), "B");
    return 1;
  }

  kernel::CompositorOptions options;
  options.seed = context.seed;
  // Seat input only where it is the measured operation: elsewhere its events would be extra
  // load, and in input_roundtrip a report that is not the probe's.
  options.input_hz = op == kEventDelivery ? kEventInputHz : 0;
  bool ok = kernel::compositor_start(options);
  // The clients of the steady-state operations start first and settle (their surfaces made and
  // on screen) before anything is measured: a client's start is client_create's business.
  // buffer_commit: every client redraws its 64 px surface 250 times a second (each redraw
  // writes the buffer and commits the changed rows); event_delivery: clients redrawing at 30 Hz
  // receive 250 input events a second each; input_roundtrip: one such client, probed;
  // composition: 96 px surfaces redrawn at 60 Hz, as in sustained_60fps.
  struct Load {
    uint64_t clients;
    uint32_t draw_hz, side;
    uint64_t samples_per_sec;  // expected, for the time limit
  };
  const Load loads[] = {{0, 0, 0, 0},
                        {clients, 250, 64, clients * 250},
                        {clients, 30, 64, clients * kEventInputHz},
                        {1, 30, 64, 0},
                        {clients, 60, 96, 60}};
  const Load& load = loads[op];
  ok = ok && start_clients(p, load.clients, seed_state, load.draw_hz, load.side);
  if (ok && load.clients > 0) kernel::compositor_run_until(kernel::uptime_ns() + kWarmupNs);

  kernel::CompositorObserver observer{};
  observer.context = &p;
  // The knob slows the operation the gate acceptance measures, and only that one.
  observer.commit_slowdown_pct = op == kBufferCommit ? static_cast<uint32_t>(context.params[3]) : 0;
  if (op == kClientCreate || op == kBufferCommit) observer.commit = on_commit;
  if (op == kBufferCommit) observer.buffer_write = on_buffer_write;
  if (op == kEventDelivery) observer.report = on_report_delivery;
  if (op == kInputRoundtrip) observer.report = on_report_arrival;
  if (op == kComposition) observer.frame = on_frame;
  kernel::compositor_observe(&observer);
  // client_create's warm-up is one unmeasured creation: under TCG the first run of a code path
  // includes translating it (about 10 ms for spawn, the client's start and the compositor's
  // calls), which is QEMU's cost, not the kernel's.
  if (ok && op == kClientCreate) {
    ok = profile_client_create(p, 1, seed_state);
    p.count = 0;
  }

  kernel::emit<markers::kPerfProfileStart>(name);
  uint64_t started = kernel::uptime_ns();
  if (op == kClientCreate)
    ok = ok && profile_client_create(p, n, seed_state);
  else if (op == kInputRoundtrip)
    ok = ok && profile_input_roundtrip(p, n);
  else if (ok)  // four times the expected time, and 10 s for a slow start
    compose_until_sampled(p, n, 10 * kSecond + 4 * n * kSecond / load.samples_per_sec);
  uint64_t elapsed = kernel::uptime_ns() - started;
  kernel::compositor_observe(nullptr);  // no more samples while the results are printed

  // The heap as the compositor and its clients left it, without the sample buffer itself.
  HeapStats heap = kernel::kernel_heap().stats();
  uint64_t buffer_bytes = n * sizeof(uint64_t);
  kernel::CompositorTotals totals = kernel::compositor_totals();
  print_results(name, p, elapsed);
  kernel::emit<markers::kPerfMemory>((heap.live_bytes - buffer_bytes) / 1024,
                                     (heap.peak_live_bytes - buffer_bytes) / 1024,
                                     heap.fragmentation_percent());
  kernel::emit<markers::kPerfReport>("tsc_khz", p.scale.khz(), "kHz");
  kernel::emit<markers::kPerfReport>("frames_dropped", totals.frames_dropped, "frames");
  kernel::emit<markers::kPerfReport>("events_overflowed", totals.events_overflowed, "events");
  if (op == kComposition && elapsed >= 1'000'000)  // in ms: pixels x 10^9 could overflow
    kernel::emit<markers::kPerfReport>(
        "pixels_blended_per_sec", totals.pixels_blended * 1000 / (elapsed / 1'000'000), "pixels/s");

  bool clean = stop_clients(p);
  kernel::compositor_stop();
  kernel::kfree(p.samples);
  return ok && clean && p.count == n ? 0 : 1;
}

}  // namespace

const kernel::Scenario kPerf = kernel::make_scenario("perf", kParams, run);

}  // namespace rayos::workloads
