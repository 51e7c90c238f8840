#include "os/core/theme.h"

#include <gtest/gtest.h>

#include <vector>

namespace rayos {
namespace {

TEST(Theme, AWindowHasAFrameATitleBarWithTheAccentAndABody) {
  constexpr int32_t w = 40, h = 30;
  std::vector<uint32_t> px(w * h, 0);
  draw_window(px.data(), w, h, kDarkTheme, 0xffff0000);
  auto at = [&](int x, int y) { return px[y * w + x]; };
  for (int x = 0; x < w; ++x) {
    EXPECT_EQ(at(x, 0), kDarkTheme.frame);
    EXPECT_EQ(at(x, h - 1), kDarkTheme.frame);
  }
  for (int y = 0; y < h; ++y) {
    EXPECT_EQ(at(0, y), kDarkTheme.frame);
    EXPECT_EQ(at(w - 1, y), kDarkTheme.frame);
  }
  EXPECT_EQ(at(3, 3), 0xffff0000u);
  EXPECT_EQ(at(20, 5), kDarkTheme.title);
  EXPECT_EQ(at(20, kTitleHeight + 1), kDarkTheme.body);
  EXPECT_NE(kDarkTheme.frame, kLightTheme.frame);
  EXPECT_NE(kDarkTheme.body, kLightTheme.body);
}

}  // namespace
}  // namespace rayos
