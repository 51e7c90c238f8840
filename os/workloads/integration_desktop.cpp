// desktop_workload (docs/e2e.md): a realistic desktop session. Ring-3 apps start on the
// compositor (processes, scheduler, memory), map their windows, get input through their event
// queues (IPC to ring 3, latency measured by the apps) and draw for half a second; then they
// quit, the desktop's own windows (a panel and two documents) are shown and checked pixel by
// pixel, screenshotted, closed, and nothing the session held may be left.
#include "os/core/format.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/integration.h"
#include "os/kernel/process.h"
#include "os/workloads/desktop.h"
#include "os/workloads/integration_common.h"
#include "os/workloads/selftest/test_support.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"apps", 1, Apps::kMax, 4}};

uint32_t run(const kernel::ScenarioContext& context) {
  const uint32_t wanted = static_cast<uint32_t>(context.params[0]);
  kernel::process_init();
  const selftest::MemorySnapshot before = selftest::memory_snapshot();
  kernel::Integration it("desktop_workload");
  if (!start_desktop(it, context.seed)) return it.complete();

  Apps apps;
  TextBuffer detail;
  const uint32_t started = apps_start(apps, wanted, context.seed);
  it.verify("apps_started", started == wanted, count_of(detail, started, wanted));
  it.milestone("apps_launched");
  const uint32_t mapped = apps_wait_mapped(apps, kSecondNs);
  it.verify("apps_mapped", mapped == started, count_of(detail, mapped, started));
  it.milestone("windows_mapped");

  uint32_t answered = 0;
  int64_t worst_ns = 0;
  for (uint32_t i = 0; i < apps.count; ++i) {
    const int64_t ns = kernel::compositor_probe(apps.pids[i], kSecondNs);
    if (ns >= 0) ++answered;
    if (ns > worst_ns) worst_ns = ns;
  }
  detail.clear();
  detail.add(uint64_t{answered}).add("_of_").add(uint64_t{apps.count}).add("_worst_us_");
  detail.add(static_cast<uint64_t>(worst_ns) / 1000);
  it.verify("input_delivered", answered == apps.count, detail.view());
  it.milestone("input_delivered");

  const uint64_t frames_before = kernel::compositor_totals().frames_composed;
  kernel::compositor_run_until(kernel::uptime_ns() + kSecondNs / 2);
  const uint64_t frames = kernel::compositor_totals().frames_composed - frames_before;
  detail.clear();
  detail.add(frames).add("_frames_in_500_ms");
  it.verify("frames_composed", frames >= 15, detail.view());
  it.milestone("session_active");

  const uint32_t clean = apps_quit(apps, 5 * kSecondNs);
  it.verify("apps_quit_cleanly", clean == started, count_of(detail, clean, started));
  it.milestone("apps_closed");

  Window windows[3];
  const compositor::Rect places[3] = {{0, 440, 640, 40}, {40, 40, 300, 220}, {360, 120, 240, 260}};
  const uint32_t accents[3] = {0xff2080ff, 0xffe04040, 0xff40c040};
  open_windows(it, windows, places, accents, 3, kLightTheme);
  it.milestone("desktop_shown");
  it.screenshot("desktop");
  for (Window& w : windows) window_close(w);
  finish_desktop(it, before);
  return it.complete();
}

}  // namespace

const kernel::Scenario kDesktopWorkload = kernel::make_scenario("desktop_workload", kParams, run);

}  // namespace rayos::workloads
