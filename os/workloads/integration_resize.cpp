// window_resize (docs/e2e.md): rapid window resize. Two ring-3 processes exchanging IPC
// messages keep the scheduler busy while the desktop resizes one of its windows `resizes` times to
// seeded sizes and places, one frame each: every resize allocates a new buffer and frees the
// old one. Each frame is checked on the framebuffer (the window where and as big as asked, the
// other window untouched), and the buffer pool must end where it started.
#include "os/core/prng.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/integration.h"
#include "os/kernel/process.h"
#include "os/workloads/integration_common.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"resizes", 1, 10000, 120}};
constexpr uint64_t kFrameNs = kSecondNs / 60;

uint32_t run(const kernel::ScenarioContext& context) {
  const uint64_t resizes = context.params[0];
  kernel::process_init();
  const selftest::MemorySnapshot before = selftest::memory_snapshot();
  kernel::Integration it("window_resize");
  if (!start_desktop(it, context.seed)) return it.complete();
  Window windows[2];
  const compositor::Rect places[2] = {{20, 20, 200, 150}, {420, 300, 200, 160}};
  const uint32_t accents[2] = {0xff2080ff, 0xffe04040};
  open_windows(it, windows, places, accents, 2, kLightTheme);
  BackgroundIpc background;
  background_ipc_start(it, background, 4 * resizes);
  it.milestone("windows_opened");
  const uint32_t buffers_before = kernel::compositor_tables().buffers;

  Prng prng(context.seed);
  uint64_t on_screen = 0;
  int64_t error = 0;
  TextBuffer detail, first_bad;
  for (uint64_t i = 0; i < resizes; ++i) {
    // Sizes from 40 x 30 to 380 x 270 at places that keep the window off the other one.
    const compositor::Rect r{
        static_cast<int32_t>(10 + prng.below(20)), static_cast<int32_t>(10 + prng.below(20)),
        static_cast<int32_t>(40 + prng.below(341)), static_cast<int32_t>(30 + prng.below(241))};
    if (!window_resize(windows[0], r, kLightTheme, error)) break;
    if (i == 0) it.milestone("first_resize");
    compose_now();
    detail.clear();
    if (window_on_screen(windows[0], kLightTheme, detail) &&
        window_on_screen(windows[1], kLightTheme, detail)) {
      ++on_screen;
    } else if (first_bad.view().size() == 0) {
      first_bad.add("resize_").add(i).add("_").add(detail.view());
    }
    kernel::compositor_run_until(kernel::uptime_ns() + kFrameNs);
  }
  it.milestone("resizes_done");
  it.verify("every_resize_on_screen", on_screen == resizes,
            on_screen == resizes ? count_of(detail, on_screen, resizes) : first_bad.view());
  const uint32_t buffers_after = kernel::compositor_tables().buffers;
  detail.clear();
  detail.add(uint64_t{buffers_after}).add("_buffers_was_").add(uint64_t{buffers_before});
  it.verify("buffers_released", buffers_after == buffers_before, detail.view());
  background_ipc_finish(it, background);
  it.milestone("background_done");
  compose_now();
  it.screenshot("resized");
  for (Window& w : windows) window_close(w);
  finish_desktop(it, before);
  return it.complete();
}

}  // namespace

const kernel::Scenario kWindowResize = kernel::make_scenario("window_resize", kParams, run);

}  // namespace rayos::workloads
