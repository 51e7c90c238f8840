#include "os/core/rle_video.h"

#include <gtest/gtest.h>

#include <vector>

namespace rayos::video {
namespace {

std::vector<uint32_t> frame(uint64_t seed, uint32_t seq, uint32_t w, uint32_t h) {
  std::vector<Run> runs(max_runs(h));
  const size_t n = encode_frame(seed, seq, w, h, runs.data(), runs.size());
  EXPECT_GT(n, 0u);
  std::vector<uint32_t> pixels(size_t{w} * h);
  EXPECT_TRUE(decode(runs.data(), n, pixels.data(), pixels.size()));
  return pixels;
}

TEST(RleVideo, EachFrameDecodesToWholeRowsStampedWithItsNumber) {
  for (uint32_t seq : {0u, 1u, 59u, 200u}) {
    const auto pixels = frame(7, seq, 320, 240);
    for (uint32_t x = 0; x < kStampPixels; ++x) EXPECT_EQ(pixels[x], stamp(seq)) << seq;
    EXPECT_EQ(stamp_seq(pixels[0]), seq);
    EXPECT_NE(pixels[kStampPixels], stamp(seq));
  }
}

TEST(RleVideo, TheSameSeedAndNumberGiveTheSamePictureAndTheBarsMove) {
  EXPECT_EQ(frame(7, 3, 320, 240), frame(7, 3, 320, 240));
  const auto a = frame(7, 3, 320, 240), b = frame(7, 4, 320, 240), c = frame(8, 3, 320, 240);
  // Away from the stamp and the band, frame 4 is frame 3 moved 4 pixels right.
  const uint32_t y = 200, w = 320;
  for (uint32_t x = 4; x < w; ++x) ASSERT_EQ(b[y * w + x], a[y * w + x - 4]) << x;
  EXPECT_NE(a, c);
}

TEST(RleVideo, FramesWiderThanTheirRowsOrShortOfRunsAreRefused) {
  std::vector<video::Run> runs(max_runs(240));
  const size_t n = encode_frame(7, 0, 320, 240, runs.data(), runs.size());
  std::vector<uint32_t> pixels(320 * 240);
  EXPECT_FALSE(decode(runs.data(), n, pixels.data(), pixels.size() - 1));
  EXPECT_FALSE(decode(runs.data(), n - 1, pixels.data(), pixels.size()));
  EXPECT_EQ(encode_frame(7, 0, 320, 240, runs.data(), 100), 0u);
}

}  // namespace
}  // namespace rayos::video
