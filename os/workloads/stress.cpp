// stress type=cpu|memory|disk|combined levels=0,25,50,75,100 level_ms=2000 procs=4 mem_max=90
// iops=1000 probe_ms=10: runs each load level (a percent of the type's maximum load) for
// `level_ms` of guest time and measures what the load does to latency.
//
// A level: STRESS:START, the load is applied (cpu: ceil(level * procs / 100) busy ring-3
// processes; memory: frames in use raised to level * mem_max / 100 percent of RAM; disk:
// level * iops / 100 random 4 KiB reads and writes per second, every block verified; combined:
// all three), a warm-up of a fifth of the level (at most 500 ms) over which the guest measures
// the load it achieved (STRESS:LOAD_APPLIED: CPU busy from the idle task's time, memory from the
// frame allocator), then latency samples until the level ends (STRESS:LATENCY_SAMPLE), and
// STRESS:DEGRADATION with the level's median over level 0's (thousandths), STRESS:DISK with the
// disk's figures. The load is removed before the next level.
//
// The latency probed is the compositor path (os/kernel/compositor.h): one VirtualClient with a
// light workload (one 32x32 surface redrawn 10 times a second) is the probe's target. Between
// probes this task composes frames at 60 Hz for probe_ms, then queues one probe event to the
// client and composes until the client reports receiving it; the sample is the delivery latency
// the client measured with the TSC, from queueing to receipt. The spinners compete with the
// client for the CPU, and the disk requests (issued by this task, polling) and memory pressure
// delay the compositor itself. A probe not answered within a second gives no sample.
//
// The guest's own verdict (STRESS:COMPLETE, exit 0 only on pass): every load applied, every
// level sampled, every block read back verified (and all blocks written re-read after the last
// level: STRESS:DISK_VERIFY), no disk request failed for good, every memory-load page kept its
// pattern.
#include "os/arch/x86_64/cpu.h"
#include "os/core/clock_math.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/console.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"
#include "os/workloads/stress_loads.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

enum Type : uint64_t { kCpu, kMemory, kDisk, kCombined };
constexpr StringView kTypeNames[] = {"cpu", "memory", "disk", "combined"};
constexpr uint8_t kDefaultLevels[] = {0, 25, 50, 75, 100};

constexpr ParamSpec kParams[] = {
    {"type", 0, 0, kCpu, ParamKind::kChoice, kTypeNames, 4},
    {"levels", 0, 100, list_param(kDefaultLevels), ParamKind::kList},
    {"level_ms", 100, 86'400'000, 2000},
    {"procs", 1, CpuLoad::kMaxProcs, 4},
    {"mem_max", 1, 95, 90},
    {"iops", 1, 100'000, 1000},
    {"probe_ms", 1, 1000, 10},
};
enum Param : size_t { kType, kLevels, kLevelMs, kProcs, kMemMax, kIops, kProbeMs };

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kMaxWarmupNs = 500 * kMs;
// Samples kept per level for its median (more are printed but not kept).
constexpr size_t kMaxSamples = 8192;
constexpr uint64_t kProbeTimeoutNs = 1'000'000'000;
// Time the probe client gets to map its first surface before the first level.
constexpr uint64_t kClientSettleNs = 200 * kMs;

struct Run {
  Type type;
  uint32_t client;  // the probe's VirtualClient
  uint64_t probe_ns;
  uint64_t iops;  // of the current level
  CpuLoad cpu;
  MemoryLoad memory;
  DiskLoad disk;
  uint64_t samples[kMaxSamples];
  size_t sample_count;
  uint64_t level_samples;
};
constinit Run run_state{};

bool start_probe(Run& r, uint64_t seed, TextBuffer& error) {
  kernel::CompositorOptions options;
  options.seed = seed;
  if (!kernel::compositor_start(options)) {
    error.add("no_memory_for_the_compositor");
    return false;
  }
  compositor::ClientWorkload workload;
  workload.seed = seed;
  workload.draw_hz = 10;
  workload.dnd_per_min = 0;
  workload.churn_per_min = 0;
  workload.surfaces = 1;
  workload.side = 32;
  const int64_t pid = kernel::spawn_virtual_client(workload, 0);
  if (pid < 0) {
    error.add("the_probe_client_could_not_be_spawned");
    kernel::compositor_stop();
    return false;
  }
  r.client = static_cast<uint32_t>(pid);
  kernel::compositor_run_until(kernel::uptime_ns() + kClientSettleNs);
  return true;
}

void stop_probe(Run& r) {
  if (r.client == 0) return;
  kernel::compositor_request_quit(r.client);
  uint32_t which = 0;
  kernel::ExitStatus status;
  // Frames go on while it quits: the client may be waiting for its next frame.
  const uint64_t deadline = kernel::uptime_ns() + kProbeTimeoutNs;
  while (!kernel::wait_child(r.client, kernel::uptime_ns(), which, status) &&
         kernel::uptime_ns() < deadline)
    kernel::compositor_run_until(kernel::uptime_ns() + r.probe_ns);
  kernel::reap_children();
  kernel::compositor_stop();
  r.client = 0;
}

// Composes for probe_ms, probes once, then issues the disk requests owed by now. Returns the
// delivery latency in ns, or a negative abi error when the client did not answer.
int64_t step(Run& r) {
  kernel::compositor_run_until(kernel::uptime_ns() + r.probe_ns);
  const int64_t latency = kernel::compositor_probe(r.client, kProbeTimeoutNs);
  // At most probe_ms of requests between two probes: a disk slower than its target rate shows
  // in the level's IOPS instead of starving the probe.
  r.disk.catch_up(r.iops, kernel::uptime_ns(), r.probe_ns);
  return latency;
}

bool uses(Type type, Type load) { return type == load || type == kCombined; }

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

// Applies, measures and samples one level; false when the load could not be applied.
bool run_level(Run& r, const kernel::ScenarioContext& c, uint64_t level, TextBuffer& error) {
  kernel::emit<markers::kStressStart>(kTypeNames[r.type], level);
  if (uses(r.type, kCpu) && !r.cpu.set(ceil_div(level * c.params[kProcs], 100), error))
    return false;
  if (uses(r.type, kMemory)) r.memory.raise_to(level * c.params[kMemMax] / 100);
  r.iops = uses(r.type, kDisk) ? level * c.params[kIops] / 100 : 0;

  const uint64_t level_ns = c.params[kLevelMs] * kMs;
  const uint64_t start = kernel::uptime_ns();
  const uint64_t warmup_end = start + (level_ns / 5 < kMaxWarmupNs ? level_ns / 5 : kMaxWarmupNs);
  const uint64_t idle_before = kernel::idle_cpu_ns(kernel::uptime_ns());
  r.disk.begin_level(start);
  while (kernel::uptime_ns() < warmup_end) step(r);
  const uint64_t now = kernel::uptime_ns();
  const uint64_t idle = kernel::idle_cpu_ns(kernel::uptime_ns()) - idle_before;
  const uint64_t wall = now - start;
  const uint64_t busy_pct = idle >= wall ? 0 : (wall - idle) * 100 / wall;
  kernel::emit<markers::kStressLoadApplied>(level, busy_pct, uint64_t{memory_percent()});

  r.sample_count = 0;
  r.level_samples = 0;
  r.disk.begin_level(now);
  // At least one probe after the warm-up: on a starved host one warm-up step can outlast the
  // whole level, and a level without a probe says nothing about its latency.
  do {
    const int64_t latency = step(r);
    if (latency < 0) continue;
    const uint64_t us = static_cast<uint64_t>(latency) / 1000;
    kernel::emit<markers::kStressLatencySample>(us);
    if (r.sample_count < kMaxSamples) r.samples[r.sample_count++] = us;
    ++r.level_samples;
  } while (kernel::uptime_ns() < start + level_ns);
  return true;
}

// Removes the CPU and memory loads; false if a memory-load page lost its pattern.
bool remove_loads(Run& r) {
  r.cpu.stop();
  if (r.memory.release()) return true;
  kernel::emit<markers::kStressError>(StringView("memory_load_page_lost_its_pattern"));
  return false;
}

uint32_t finish(Run& r, bool pass, StringView reason) {
  if (!reason.empty()) kernel::emit<markers::kStressError>(reason);
  pass = remove_loads(r) && pass;
  stop_probe(r);
  if (r.disk.started()) {
    uint64_t checked = 0;
    const uint64_t bad = r.disk.verify_all(checked);
    kernel::emit<markers::kStressDiskVerify>(checked, bad);
    pass = pass && bad == 0 && r.disk.total_errors() == 0 && r.disk.failed_requests() == 0;
    r.disk.stop();
  }
  kernel::emit<markers::kStressComplete>(StringView(pass ? "pass" : "fail"));
  return pass ? 0 : 1;
}

uint32_t run(const kernel::ScenarioContext& c) {
  Run& r = run_state;
  r.type = static_cast<Type>(c.params[kType]);
  r.probe_ns = c.params[kProbeMs] * kMs;
  kernel::wait_for_tsc_calibration();
  kernel::process_init();
  const uint64_t levels = c.params[kLevels];
  if (list_item(levels, 0) != 0)
    return finish(r, false, "levels_must_start_with_0(the_unloaded_reference)");
  TextBuffer error;
  if (uses(r.type, kDisk) && !r.disk.start(c.seed, error)) return finish(r, false, error.view());
  if (!start_probe(r, c.seed, error)) return finish(r, false, error.view());

  uint64_t baseline_us = 1;
  bool pass = true;
  for (size_t i = 0; i < list_size(levels); ++i) {
    const uint64_t level = list_item(levels, i);
    if (!run_level(r, c, level, error)) return finish(r, false, error.view());
    const uint64_t median = r.sample_count ? median_in_place(r.samples, r.sample_count) : 0;
    if (i == 0) baseline_us = median > 0 ? median : 1;
    kernel::emit<markers::kStressDegradation>(level, median * 1000 / baseline_us);
    if (r.iops > 0) {
      const uint64_t now = kernel::uptime_ns();
      kernel::emit<markers::kStressDisk>(level, r.disk.level_iops(now), r.disk.level_verified(),
                                         r.disk.level_errors());
    }
    pass = remove_loads(r) && pass && r.level_samples > 0;
  }
  return finish(r, pass, "");
}

}  // namespace

const kernel::Scenario kStress = kernel::make_scenario("stress", kParams, run);

}  // namespace rayos::workloads
