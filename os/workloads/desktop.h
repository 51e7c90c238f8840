#pragma once
// Windows the integration scenarios own themselves, as kernel-side clients of the compositor:
// each window is a surface with one buffer drawn with the current theme (os/core/theme.h). The
// scenario moves, resizes and redraws them, composes frames and checks what actually reached
// the framebuffer. Call from a scenario task with interrupts on; each function takes the
// compositor with interrupts off itself.
#include <stdint.h>

#include "os/core/compositor.h"
#include "os/core/text_buffer.h"
#include "os/core/theme.h"

namespace rayos::workloads {

struct Window {
  uint32_t owner = 0;  // the kernel-side client pid
  uint32_t surface = 0, buffer = 0;
  compositor::Rect rect{};  // where the scenario put it
  uint32_t accent = 0;
  uint32_t theme_generation = 0;  // of the theme it was last drawn with
};

// Pids for kernel-side clients: far above any process pid.
inline constexpr uint32_t kDesktopPidBase = 0x70000000;

// Registers `owner` if needed, creates the window's surface and buffer, draws and commits it.
// False (and nothing held) when the compositor refuses; `error` gets its abi code.
bool window_open(Window& w, uint32_t owner, const compositor::Rect& rect, uint32_t accent,
                 const Theme& theme, int64_t& error);
// A new buffer of the new size, drawn, attached and committed at the new place; the old buffer
// is freed.
bool window_resize(Window& w, const compositor::Rect& rect, const Theme& theme, int64_t& error);
// Draws the window again (a theme change) and commits it whole.
bool window_redraw(Window& w, const Theme& theme, int64_t& error);
// Frees what the window holds and, when it was the owner's last, the owner's registration.
void window_close(Window& w);

// Composes one frame now (interrupts off).
void compose_now();
// The composed pixel at (x, y), 0 outside the screen.
uint32_t screen_pixel(int32_t x, int32_t y);

// Whether the screen shows `w` where it should, drawn with `theme`: its four corners are the
// frame colour, the pixels just outside its left and top edges are not, and its body is the
// theme's body colour. `detail` gets what differed ("pixel_100_80_ff203040_want_ff404040").
bool window_on_screen(const Window& w, const Theme& theme, TextBuffer& detail);

}  // namespace rayos::workloads

namespace rayos::workloads {

// Ring-3 apps: VirtualClients (os/user/programs/client.cpp) drawing, committing and reading
// input on the compositor as real processes.
struct Apps {
  static constexpr uint32_t kMax = 16;
  uint32_t pids[kMax] = {};
  uint32_t count = 0;
};
// Starts `count` apps with seeds drawn from `seed`, each starting `drags_per_min` drags; how
// many started.
uint32_t apps_start(Apps& apps, uint32_t count, uint64_t seed, uint32_t drags_per_min = 0);
// How many apps have a surface on screen, after composing frames until all do or `timeout_ns`.
uint32_t apps_wait_mapped(const Apps& apps, uint64_t timeout_ns);
// Asks every app to quit and collects it; how many exited with code 0 when asked (the rest are
// killed).
uint32_t apps_quit(Apps& apps, uint64_t timeout_ns);

}  // namespace rayos::workloads
