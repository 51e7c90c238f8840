#include "os/core/theme.h"

namespace rayos {

void draw_window(uint32_t* pixels, int32_t w, int32_t h, const Theme& theme, uint32_t accent) {
  for (int32_t y = 0; y < h; ++y) {
    for (int32_t x = 0; x < w; ++x) {
      uint32_t c = theme.body;
      if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
        c = theme.frame;
      } else if (y <= kTitleHeight) {
        // The accent square sits at the title bar's left, 2 pixels in.
        c = (x >= 3 && x < 3 + kTitleHeight - 4 && y >= 3 && y < kTitleHeight - 1) ? accent
                                                                                   : theme.title;
      }
      pixels[static_cast<int64_t>(y) * w + x] = c;
    }
  }
}

}  // namespace rayos
