#include "os/core/rle_video.h"

#include "os/core/prng.h"

namespace rayos::video {
namespace {

constexpr uint32_t kBars = 8;

struct Writer {
  Run* runs;
  size_t capacity, count = 0;
  bool ok = true;

  void add(uint32_t color, uint32_t length) {
    if (length == 0) return;
    if (count > 0 && runs[count - 1].color == color) {
      runs[count - 1].length += length;
    } else if (count < capacity) {
      runs[count++] = Run{color, length};
    } else {
      ok = false;
    }
  }
};

}  // namespace

size_t encode_frame(uint64_t seed, uint32_t seq, uint32_t width, uint32_t height, Run* runs,
                    size_t capacity) {
  uint64_t state = seed;
  uint32_t palette[kBars];
  for (uint32_t& c : palette) c = 0xff000000u | static_cast<uint32_t>(splitmix64(state) >> 40);
  const uint32_t band_color = 0xffffffffu;
  const uint32_t bar = width / kBars;
  const uint32_t scroll = (seq * 4) % width;
  const uint32_t band_top = (seq * 3) % height, band_rows = height / 12 + 1;
  Writer out{runs, capacity};
  for (uint32_t y = 0; y < height; ++y) {
    uint32_t x = 0;
    if (y == 0) {
      out.add(stamp(seq), kStampPixels);
      x = kStampPixels;
    }
    if (y >= band_top && y < band_top + band_rows) {
      out.add(band_color, width - x);
      continue;
    }
    // Bar i covers [i * bar, (i + 1) * bar) shifted right by `scroll`, wrapping around.
    while (x < width) {
      const uint32_t source = (x + width - scroll) % width;
      const uint32_t index = bar == 0 ? 0 : (source / bar) % kBars;
      uint32_t end = x + (bar - source % bar);
      if (end > width) end = width;
      // The wrap point cuts a bar in two.
      if (x < scroll && end > scroll) end = scroll;
      out.add(palette[index], end - x);
      x = end;
    }
  }
  return out.ok ? out.count : 0;
}

bool decode(const Run* runs, size_t count, uint32_t* pixels, size_t pixels_count) {
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    if (runs[i].length > pixels_count - at) return false;
    for (uint32_t k = 0; k < runs[i].length; ++k) pixels[at++] = runs[i].color;
  }
  return at == pixels_count;
}

}  // namespace rayos::video
