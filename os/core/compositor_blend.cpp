// The compositor's per-pixel work (blending, fills), in a file of its own so that the kernel's
// fuzz coverage build (RAYOS_FUZZED_SOURCES, os/CMakeLists.txt), which instruments
// compositor.cpp, leaves it out: a coverage callback per pixel would slow every frame any scenario
// composes, and the compositor fuzz target's every input (it starts a compositor, whose
// framebuffer is filled, and creates buffers, which are cleared).
#include "os/core/compositor.h"

namespace rayos::compositor {
namespace {

uint32_t channel(uint32_t s, uint32_t d, uint32_t a) { return (s * a + d * (255 - a) + 127) / 255; }

}  // namespace

void fill_pixels(uint32_t* pixels, size_t count, uint32_t argb) {
  for (size_t i = 0; i < count; ++i) pixels[i] = argb;
}

uint32_t blend_pixel(uint32_t src, uint32_t dst) {
  uint32_t a = src >> 24;
  if (a == 255) return src;
  if (a == 0) return dst | 0xff000000u;
  uint32_t r = channel((src >> 16) & 0xff, (dst >> 16) & 0xff, a);
  uint32_t g = channel((src >> 8) & 0xff, (dst >> 8) & 0xff, a);
  uint32_t b = channel(src & 0xff, dst & 0xff, a);
  return 0xff000000u | r << 16 | g << 8 | b;
}

void Compositor::blend_rect(const Rect& r, const uint32_t* order, uint32_t n, FrameResult& result) {
  const size_t stride = size_t(config_.width);
  for (int32_t row = r.y; row < r.y + r.h; ++row) {
    uint32_t* line = framebuffer_ + size_t(row) * stride;
    fill_pixels(line + r.x, size_t(r.w), kBackground);
  }
  for (uint32_t k = 0; k < n; ++k) {
    const Surface& s = surfaces_[order[k]];
    Rect part = intersect(r, extent(s));
    if (part.empty()) continue;
    const Buffer& b = buffers_[s.shown - 1];
    for (int32_t row = part.y; row < part.y + part.h; ++row) {
      const uint32_t* src = b.pixels + size_t(row - s.y) * size_t(b.w) + size_t(part.x - s.x);
      uint32_t* dst = framebuffer_ + size_t(row) * stride + size_t(part.x);
      for (int32_t i = 0; i < part.w; ++i) dst[i] = blend_pixel(src[i], dst[i]);
    }
    result.pixels_blended += uint64_t(part.w) * uint64_t(part.h);
  }
}

}  // namespace rayos::compositor
