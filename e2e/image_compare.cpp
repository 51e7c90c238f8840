#include "e2e/image_compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace osh::e2e {
namespace {

int channel_delta(uint32_t a, uint32_t b) {
  int worst = 0;
  for (int shift : {16, 8, 0}) {
    worst = std::max(worst, std::abs(int((a >> shift) & 0xff) - int((b >> shift) & 0xff)));
  }
  return worst;
}

uint32_t dimmed(uint32_t p) { return (p >> 2) & 0x3f3f3f; }

}  // namespace

std::string Comparison::describe() const {
  if (!same_size) return "the screenshot's size differs from the golden's";
  if (differing == 0) return "identical within the tolerance";
  return fmt::format("{} pixel(s) differ (max channel delta {}), first at ({}, {})", differing,
                     max_delta, first->first, first->second);
}

Comparison compare_images(const Image& golden, const Image& actual, int tolerance,
                          const std::vector<Mask>& masks) {
  Comparison c;
  if (golden.width != actual.width || golden.height != actual.height) {
    c.same_size = false;
    return c;
  }
  c.diff = golden;
  for (int y = 0; y < golden.height; ++y) {
    for (int x = 0; x < golden.width; ++x) {
      uint32_t& out = c.diff.pixels[static_cast<size_t>(y) * golden.width + x];
      const bool masked =
          std::any_of(masks.begin(), masks.end(), [&](const Mask& m) { return m.contains(x, y); });
      if (masked) {
        out = dimmed(out) | 0x000080;
        continue;
      }
      const int delta = channel_delta(golden.at(x, y), actual.at(x, y));
      c.max_delta = std::max(c.max_delta, delta);
      if (delta > tolerance) {
        ++c.differing;
        if (!c.first) c.first = std::pair(x, y);
        out = 0xff0000;
      } else {
        out = dimmed(out);
      }
    }
  }
  return c;
}

}  // namespace osh::e2e
