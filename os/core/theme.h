#pragma once
// Desktop themes and window decoration: a theme is a palette with a generation number; a window
// is drawn as a 1-pixel frame, a title bar and a body in its theme's colours, with the app's
// accent colour as a square in the title bar. Every window redraws itself when the theme's
// generation changes, so the screen shows one theme at a time — what the theme-propagation
// scenario checks on the composed framebuffer.
#include <stdint.h>

namespace rayos {

struct Theme {
  uint32_t generation;
  uint32_t frame, title, body;  // opaque ARGB
};

inline constexpr Theme kLightTheme{1, 0xff404040, 0xffc0c8d0, 0xfff0f0f0};
inline constexpr Theme kDarkTheme{2, 0xff000000, 0xff303848, 0xff181c24};
inline constexpr int32_t kTitleHeight = 12;

// Draws a `w` x `h` window into `pixels` (row-major, w per row). Sizes below 3 x (kTitleHeight +
// 2) get the frame and title only where they fit.
void draw_window(uint32_t* pixels, int32_t w, int32_t h, const Theme& theme, uint32_t accent);

}  // namespace rayos
