#include "os/workloads/desktop.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/interrupts.h"
#include "os/core/prng.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/process.h"

namespace rayos::workloads {
namespace {

using compositor::Rect;

// Draws the window's buffer and commits it whole at its place. The planted bug
// `window_off_by_one` places every window one pixel right of where it was asked to be.
bool draw_and_commit(compositor::Compositor& comp, Window& w, const Theme& theme, int64_t& error) {
  size_t bytes = 0;
  uint32_t* pixels = comp.buffer_pixels(w.owner, w.buffer, bytes, error);
  if (pixels == nullptr) return false;
  draw_window(pixels, w.rect.w, w.rect.h, theme, w.accent);
  w.theme_generation = theme.generation;
  const int32_t x = w.rect.x + (kernel::planted(kBugWindowOffByOne) ? 1 : 0);
  error = comp.attach(w.owner, w.surface, w.buffer);
  if (error < 0) return false;
  error = comp.commit(w.owner, w.surface, Rect{0, 0, w.rect.w, w.rect.h}, x, w.rect.y);
  return error >= 0;
}

bool has_surfaces(const compositor::Compositor& comp, uint32_t owner) {
  Rect where{};
  return comp.top_surface_of(owner, where) != 0;
}

}  // namespace

bool window_open(Window& w, uint32_t owner, const Rect& rect, uint32_t accent, const Theme& theme,
                 int64_t& error) {
  arch::InterruptGuard guard;
  compositor::Compositor& comp = kernel::compositor_core();
  w = Window{owner, 0, 0, rect, accent, 0};
  if (!comp.is_client(owner) && (error = comp.add_client(owner)) < 0) return false;
  if ((error = comp.create_surface(owner)) < 0) return false;
  w.surface = static_cast<uint32_t>(error);
  if ((error = comp.create_buffer(owner, rect.w, rect.h)) < 0) {
    comp.destroy_surface(owner, w.surface);
    return false;
  }
  w.buffer = static_cast<uint32_t>(error);
  return draw_and_commit(comp, w, theme, error);
}

bool window_resize(Window& w, const Rect& rect, const Theme& theme, int64_t& error) {
  arch::InterruptGuard guard;
  compositor::Compositor& comp = kernel::compositor_core();
  if ((error = comp.create_buffer(w.owner, rect.w, rect.h)) < 0) return false;
  const uint32_t old = w.buffer;
  w.buffer = static_cast<uint32_t>(error);
  w.rect = rect;
  if (!draw_and_commit(comp, w, theme, error)) return false;
  error = comp.destroy_buffer(w.owner, old);
  return error >= 0;
}

bool window_redraw(Window& w, const Theme& theme, int64_t& error) {
  arch::InterruptGuard guard;
  return draw_and_commit(kernel::compositor_core(), w, theme, error);
}

void window_close(Window& w) {
  arch::InterruptGuard guard;
  compositor::Compositor& comp = kernel::compositor_core();
  comp.destroy_surface(w.owner, w.surface);
  comp.destroy_buffer(w.owner, w.buffer);
  if (!has_surfaces(comp, w.owner)) comp.remove_client(w.owner, arch::rdtsc());
  w = Window{};
}

void compose_now() {
  arch::InterruptGuard guard;
  kernel::compositor_core().compose();
}

uint32_t screen_pixel(int32_t x, int32_t y) {
  const uint32_t* fb = kernel::compositor_framebuffer();
  const int32_t width = kernel::compositor_width(), height = kernel::compositor_height();
  if (fb == nullptr || x < 0 || y < 0 || x >= width || y >= height) return 0;
  return fb[static_cast<int64_t>(y) * width + x];
}

bool window_on_screen(const Window& w, const Theme& theme, TextBuffer& detail) {
  const Rect& r = w.rect;
  struct Probe {
    int32_t x, y;
    uint32_t want;
    bool equal;
  };
  const Probe probes[] = {
      {r.x, r.y, theme.frame, true},
      {r.x + r.w - 1, r.y, theme.frame, true},
      {r.x, r.y + r.h - 1, theme.frame, true},
      {r.x + r.w - 1, r.y + r.h - 1, theme.frame, true},
      {r.x + r.w / 2, r.y + r.h - 2, theme.body, true},
      {r.x - 1, r.y + r.h / 2, theme.frame, false},
      {r.x + r.w, r.y + r.h / 2, theme.frame, false},
  };
  for (const Probe& p : probes) {
    const uint32_t got = screen_pixel(p.x, p.y);
    if ((got == p.want) == p.equal) continue;
    detail.add("pixel_").add(uint64_t(p.x)).add("_").add(uint64_t(p.y)).add("_").add(Hex{got});
    detail.add(p.equal ? "_want_" : "_must_not_be_").add(Hex{p.want});
    return false;
  }
  detail.add("window_at_").add(uint64_t(r.x)).add("_").add(uint64_t(r.y)).add("_size_");
  detail.add(uint64_t(r.w)).add("x").add(uint64_t(r.h));
  return true;
}

}  // namespace rayos::workloads

namespace rayos::workloads {

uint32_t apps_start(Apps& apps, uint32_t count, uint64_t seed, uint32_t drags_per_min) {
  uint64_t state = seed;
  apps.count = 0;
  for (uint32_t i = 0; i < count && i < Apps::kMax; ++i) {
    compositor::ClientWorkload w;
    w.seed = splitmix64(state);
    w.draw_hz = 30;
    w.dnd_per_min = drags_per_min;
    w.churn_per_min = 0;
    w.surfaces = 1;
    w.side = 48;
    w.index = i;
    const int64_t pid = kernel::spawn_virtual_client(w, 0);
    if (pid > 0) apps.pids[apps.count++] = static_cast<uint32_t>(pid);
  }
  return apps.count;
}

uint32_t apps_wait_mapped(const Apps& apps, uint64_t timeout_ns) {
  const uint64_t until = kernel::uptime_ns() + timeout_ns;
  constexpr uint64_t kFrameNs = 1'000'000'000 / 60;
  for (;;) {
    uint32_t mapped = 0;
    {
      arch::InterruptGuard guard;
      Rect where{};
      for (uint32_t i = 0; i < apps.count; ++i)
        mapped += kernel::compositor_core().top_surface_of(apps.pids[i], where) != 0 ? 1 : 0;
    }
    if (mapped == apps.count || kernel::uptime_ns() >= until) return mapped;
    kernel::compositor_run_until(kernel::uptime_ns() + kFrameNs);
  }
}

uint32_t apps_quit(Apps& apps, uint64_t timeout_ns) {
  const uint64_t until = kernel::uptime_ns() + timeout_ns;
  uint32_t clean = 0;
  for (uint32_t i = 0; i < apps.count; ++i) {
    const uint32_t pid = apps.pids[i];
    while (!kernel::compositor_request_quit(pid) && kernel::uptime_ns() < until)
      kernel::compositor_run_until(kernel::uptime_ns() + 1'000'000);
    uint32_t which = 0;
    kernel::ExitStatus status;
    // Frames go on while it quits: it reads its queue until the kQuit event.
    while (kernel::uptime_ns() < until) {
      if (kernel::wait_child(pid, kernel::uptime_ns() + 20'000'000, which, status)) {
        if (status.kind == kernel::ExitKind::kExited && status.code == 0) ++clean;
        break;
      }
      kernel::compositor_run_until(kernel::uptime_ns() + 1'000'000);
    }
  }
  kernel::reap_children();
  apps.count = 0;
  return clean;
}

}  // namespace rayos::workloads
