// Two more desktop sessions (docs/e2e.md), both on ring-3 apps:
//   apps_drag_drop   `apps` apps (16) map their windows and drag payloads onto each other for
//                    `seconds` s; the compositor routes every drop to the window under the
//                    pointer. Checks: drops completed, every drag ended (completed or cancelled,
//                    none left pending), the apps quit cleanly, nothing leaked.
//   idle_surge       the compositor idles with no client for `idle_ms`, then `apps` apps start
//                    at once. Checks: frames kept coming while idle, every app mapped and
//                    answered input after the surge, quit cleanly, nothing leaked.
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/integration.h"
#include "os/kernel/process.h"
#include "os/workloads/integration_common.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kDragParams[] = {{"apps", 2, Apps::kMax, 16}, {"seconds", 1, 3600, 2}};
constexpr ParamSpec kSurgeParams[] = {{"apps", 1, Apps::kMax, 8}, {"idle_ms", 100, 3600000, 2000}};

// Starts the apps and waits until their windows are on screen: VERIFY apps_started, apps_mapped.
void launch(kernel::Integration& it, Apps& apps, uint32_t wanted, uint64_t seed,
            uint32_t drags_per_min) {
  TextBuffer detail;
  const uint32_t started = apps_start(apps, wanted, seed, drags_per_min);
  it.verify("apps_started", started == wanted, count_of(detail, started, wanted));
  it.milestone("apps_launched");
  const uint32_t mapped = apps_wait_mapped(apps, kSecondNs);
  it.verify("apps_mapped", mapped == started, count_of(detail, mapped, started));
  it.milestone("windows_mapped");
}

void close(kernel::Integration& it, Apps& apps) {
  TextBuffer detail;
  const uint32_t count = apps.count;
  const uint32_t clean = apps_quit(apps, 10 * kSecondNs);
  it.verify("apps_quit_cleanly", clean == count, count_of(detail, clean, count));
  it.milestone("apps_closed");
}

uint32_t run_drag_drop(const kernel::ScenarioContext& context) {
  kernel::process_init();
  const selftest::MemorySnapshot before = selftest::memory_snapshot();
  kernel::Integration it("apps_drag_drop");
  if (!start_desktop(it, context.seed)) return it.complete();
  Apps apps;
  // Each app starts a drag about every 2 s.
  launch(it, apps, static_cast<uint32_t>(context.params[0]), context.seed, 30);
  const kernel::CompositorTotals t0 = kernel::compositor_totals();
  const uint64_t until = kernel::uptime_ns() + context.params[1] * kSecondNs;
  bool dropped = false;
  while (kernel::uptime_ns() < until) {
    kernel::compositor_run_until(kernel::uptime_ns() + kSecondNs / 10);
    if (!dropped && kernel::compositor_totals().drags_completed > t0.drags_completed) {
      dropped = true;
      it.milestone("first_drop");
    }
  }
  it.milestone("drags_done");
  close(it, apps);
  const kernel::CompositorTotals t1 = kernel::compositor_totals();
  TextBuffer detail;
  detail.add(t1.drags_completed - t0.drags_completed).add("_completed_");
  detail.add(t1.drags_cancelled - t0.drags_cancelled).add("_cancelled");
  it.verify("drops_completed", t1.drags_completed > t0.drags_completed, detail.view());
  const compositor::Stats s = kernel::compositor_tables();
  detail.clear();
  detail.add(uint64_t{s.drags}).add("_drags_pending");
  it.verify("no_drag_left_pending", s.drags == 0, detail.view());
  finish_desktop(it, before);
  return it.complete();
}

uint32_t run_idle_surge(const kernel::ScenarioContext& context) {
  kernel::process_init();
  const selftest::MemorySnapshot before = selftest::memory_snapshot();
  kernel::Integration it("idle_surge");
  if (!start_desktop(it, context.seed)) return it.complete();
  const uint64_t idle_ms = context.params[1];
  it.milestone("idle_start");
  const uint64_t frames0 = kernel::compositor_totals().frames_composed;
  kernel::compositor_run_until(kernel::uptime_ns() + idle_ms * 1'000'000);
  const uint64_t idle_frames = kernel::compositor_totals().frames_composed - frames0;
  it.milestone("idle_end");
  TextBuffer detail;
  // 60 Hz: at least half the frames of the idle time, whatever the host's load.
  detail.add(idle_frames).add("_frames_in_").add(idle_ms).add("_ms");
  it.verify("frames_while_idle", idle_frames * 1000 >= idle_ms * 30, detail.view());
  Apps apps;
  launch(it, apps, static_cast<uint32_t>(context.params[0]), context.seed, 0);
  uint32_t answered = 0;
  for (uint32_t i = 0; i < apps.count; ++i)
    if (kernel::compositor_probe(apps.pids[i], kSecondNs) >= 0) ++answered;
  it.verify("input_delivered", answered == apps.count, count_of(detail, answered, apps.count));
  it.milestone("surge_served");
  close(it, apps);
  finish_desktop(it, before);
  return it.complete();
}

}  // namespace

const kernel::Scenario kAppsDragDrop =
    kernel::make_scenario("apps_drag_drop", kDragParams, run_drag_drop);
const kernel::Scenario kIdleSurge =
    kernel::make_scenario("idle_surge", kSurgeParams, run_idle_surge);

}  // namespace rayos::workloads
