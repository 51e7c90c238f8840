// theme_change (docs/e2e.md): theme change propagation. Four windows show the light theme; the
// theme service switches to dark and each window redraws itself on the next frame after it
// learns of it (one per frame, as clients reading the change from their queues would); the
// service announces theme_applied once every window on screen shows the new theme. Checked on
// the composed framebuffer, screenshotted before and after.
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/integration.h"
#include "os/kernel/process.h"
#include "os/workloads/integration_common.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr uint32_t kWindows = 4;
constexpr uint64_t kFrameNs = kSecondNs / 60;

uint32_t run(const kernel::ScenarioContext& context) {
  kernel::process_init();
  const selftest::MemorySnapshot before = selftest::memory_snapshot();
  kernel::Integration it("theme_change");
  if (!start_desktop(it, context.seed)) return it.complete();
  Window windows[kWindows];
  const compositor::Rect places[kWindows] = {
      {20, 20, 280, 200}, {340, 20, 280, 200}, {20, 250, 280, 200}, {340, 250, 280, 200}};
  const uint32_t accents[kWindows] = {0xff2080ff, 0xffe04040, 0xff40c040, 0xffe0c020};
  open_windows(it, windows, places, accents, kWindows, kLightTheme);
  it.milestone("light_shown");
  it.screenshot("theme_light");

  const Theme& theme = kDarkTheme;
  it.milestone("theme_changed");
  if (kernel::planted(kBugThemeAppliedEarly)) it.milestone("theme_applied");
  uint32_t redrawn = 0;
  int64_t error = 0;
  for (Window& w : windows) {
    if (w.theme_generation == theme.generation) continue;
    if (window_redraw(w, theme, error)) ++redrawn;
    kernel::compositor_run_until(kernel::uptime_ns() + kFrameNs);
  }
  TextBuffer detail;
  it.verify("windows_redrawn", redrawn == kWindows, count_of(detail, redrawn, kWindows));
  it.milestone("windows_redrawn");
  compose_now();
  const bool applied = verify_windows(it, "dark_on_screen", windows, kWindows, theme);
  if (applied && !kernel::planted(kBugThemeAppliedEarly)) it.milestone("theme_applied");
  it.screenshot("theme_dark");
  for (Window& w : windows) window_close(w);
  finish_desktop(it, before);
  return it.complete();
}

}  // namespace

const kernel::Scenario kThemeChange = kernel::make_scenario("theme_change", run);

}  // namespace rayos::workloads
