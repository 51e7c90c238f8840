#pragma once
// The integration scenarios' video (docs/e2e.md: media_playback, fullscreen_video): a
// deterministic stream of run-length-coded frames generated from a seed, and its decoder. A
// frame is vertical colour bars that scroll with the frame number and a band that moves down;
// the first kStampPixels pixels of its top row carry the frame number (a timecode), so that
// whoever reads the screen knows which frame is shown.
#include <stddef.h>
#include <stdint.h>

namespace rayos::video {

struct Run {
  uint32_t color;   // opaque ARGB
  uint32_t length;  // pixels, row-major
};

inline constexpr uint32_t kStampPixels = 8;
// Runs a frame of `height` rows needs at most.
inline constexpr size_t max_runs(uint32_t height) { return size_t{height} * 10 + 1; }

// Frame `seq` of the stream `seed`, `width` x `height` (width >= 2 * kStampPixels), as runs;
// how many, or 0 when `capacity` is too small.
size_t encode_frame(uint64_t seed, uint32_t seq, uint32_t width, uint32_t height, Run* runs,
                    size_t capacity);
// Expands `count` runs into `pixels`; false unless they cover exactly `pixels_count`.
bool decode(const Run* runs, size_t count, uint32_t* pixels, size_t pixels_count);

// The timecode pixel of frame `seq` (24 bits of it), and the frame a pixel names.
inline constexpr uint32_t stamp(uint32_t seq) { return 0xff000000u | (seq & 0xffffffu); }
inline constexpr uint32_t stamp_seq(uint32_t pixel) { return pixel & 0xffffffu; }

}  // namespace rayos::video
