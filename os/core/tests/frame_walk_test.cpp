#include "os/core/frame_walk.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace rayos {
namespace {

// A fake stack: frame i at word index base_i holds {saved rbp, return address}.
class FakeStack {
 public:
  FakeStack() : words_(64, 0) {}
  uintptr_t addr(size_t word) const { return reinterpret_cast<uintptr_t>(&words_[word]); }
  void frame(size_t word, uintptr_t saved_rbp, uintptr_t ret) {
    words_[word] = saved_rbp;
    words_[word + 1] = ret;
  }
  StackBounds bounds() const { return {addr(0), addr(0) + words_.size() * sizeof(uintptr_t)}; }

 private:
  std::vector<uintptr_t> words_;
};

TEST(RayosFrameWalk, FollowsAChainToTheNullReturn) {
  FakeStack s;
  s.frame(4, s.addr(10), 0x1111);
  s.frame(10, s.addr(20), 0x2222);
  s.frame(20, 0, 0x3333);  // the boot frame: saved rbp 0
  uintptr_t out[16];
  size_t n = walk_frame_pointers(s.addr(4), s.bounds(), out, 16);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(out[0], 0x1111u);
  EXPECT_EQ(out[1], 0x2222u);
  EXPECT_EQ(out[2], 0x3333u);
}

TEST(RayosFrameWalk, StopsAtPointersOutsideTheStack) {
  FakeStack s;
  s.frame(4, 0xdeadbeef000, 0x1111);
  uintptr_t out[16];
  EXPECT_EQ(walk_frame_pointers(s.addr(4), s.bounds(), out, 16), 1u);
  EXPECT_EQ(walk_frame_pointers(0, s.bounds(), out, 16), 0u);
  EXPECT_EQ(walk_frame_pointers(s.addr(63), s.bounds(), out, 16), 0u) << "frame would cross top";
  EXPECT_EQ(walk_frame_pointers(s.addr(4) + 3, s.bounds(), out, 16), 0u) << "misaligned";
}

TEST(RayosFrameWalk, StopsOnLoopsAndDownwardChains) {
  FakeStack s;
  s.frame(10, s.addr(10), 0x1111);  // points at itself
  uintptr_t out[16];
  EXPECT_EQ(walk_frame_pointers(s.addr(10), s.bounds(), out, 16), 1u);
  s.frame(20, s.addr(6), 0x2222);  // points downwards
  s.frame(6, s.addr(20), 0x3333);
  EXPECT_EQ(walk_frame_pointers(s.addr(20), s.bounds(), out, 16), 1u);
}

TEST(RayosFrameWalk, BoundedDepth) {
  FakeStack s;
  for (size_t w = 0; w + 4 < 64; w += 2) s.frame(w, s.addr(w + 2), 0x1000 + w);
  uintptr_t out[4];
  EXPECT_EQ(walk_frame_pointers(s.addr(0), s.bounds(), out, 4), 4u);
  EXPECT_EQ(out[3], 0x1006u);
}

}  // namespace
}  // namespace rayos
