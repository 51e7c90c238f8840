#pragma once
// A screenshot against its golden: per pixel, the largest difference of the three channels;
// a pixel differs when that exceeds the tolerance and it lies outside every masked rectangle
// (a clock, a cursor: what may change from run to run). The diff image shows the golden dimmed
// to a quarter of its brightness, differing pixels in red and masked regions tinted blue.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "e2e/png_image.h"

namespace osh::e2e {

struct Mask {
  int x = 0, y = 0, w = 0, h = 0;
  bool contains(int px, int py) const { return px >= x && py >= y && px < x + w && py < y + h; }
};

struct Comparison {
  bool same_size = true;
  uint64_t differing = 0;                    // pixels beyond the tolerance, outside masks
  int max_delta = 0;                         // the largest channel difference outside masks
  std::optional<std::pair<int, int>> first;  // the first differing pixel (x, y), row by row
  Image diff;                                // the golden's size; empty when sizes differ
  std::string describe() const;  // "312 pixels differ (max channel delta 255), first at (20, 20)"
};

Comparison compare_images(const Image& golden, const Image& actual, int tolerance,
                          const std::vector<Mask>& masks);

}  // namespace osh::e2e
