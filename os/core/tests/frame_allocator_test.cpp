#include "os/core/frame_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

namespace rayos {
namespace {

constexpr uint64_t kPage = FrameAllocator::kFrameSize;

// An allocator over 4 words = 256 frames = 1 MiB of physical addresses.
class FrameAllocatorTest : public ::testing::Test {
 protected:
  std::vector<uint64_t> available_ = std::vector<uint64_t>(4, 0);
  std::vector<uint64_t> allocated_ = std::vector<uint64_t>(4, 0);
  FrameAllocator frames_{available_.data(), allocated_.data(), 4};
};

TEST_F(FrameAllocatorTest, StartsEmpty) {
  EXPECT_EQ(frames_.limit(), 256 * kPage);
  EXPECT_EQ(frames_.stats().total, 0u);
  uint64_t phys = 0;
  EXPECT_FALSE(frames_.allocate(phys));
  EXPECT_EQ(frames_.stats().failed_allocations, 1u);
  EXPECT_FALSE(frames_.is_allocated(0));
}

TEST_F(FrameAllocatorTest, AddsOnlyWholeFramesInsideTheManagedRange) {
  // 0x800..0x3800 holds frames 1 and 2 completely; the partial ones at the edges are left out.
  EXPECT_EQ(frames_.add_free_range(0x800, 0x3000), 2u);
  EXPECT_EQ(frames_.stats().total, 2u);
  // Beyond the managed range: clipped.
  EXPECT_EQ(frames_.add_free_range(250 * kPage, 100 * kPage), 6u);
  EXPECT_EQ(frames_.add_free_range(300 * kPage, kPage), 0u);
  // Adding again does not count twice; an overflowing size is clipped, not wrapped.
  EXPECT_EQ(frames_.add_free_range(kPage, kPage), 0u);
  EXPECT_EQ(frames_.add_free_range(255 * kPage, UINT64_MAX), 0u);
  EXPECT_EQ(frames_.stats().total, 8u);
  EXPECT_EQ(frames_.stats().free, 8u);
}

TEST_F(FrameAllocatorTest, ReserveTakesFramesOutForGood) {
  frames_.add_free_range(0, 16 * kPage);
  EXPECT_EQ(frames_.reserve_range(kPage + 1, kPage), 2u);  // touches frames 1 and 2
  EXPECT_EQ(frames_.stats().total, 14u);
  EXPECT_EQ(frames_.stats().free, 14u);
  std::set<uint64_t> got;
  uint64_t phys;
  while (frames_.allocate(phys)) got.insert(phys);
  EXPECT_EQ(got.size(), 14u);
  EXPECT_EQ(got.count(kPage), 0u);
  EXPECT_EQ(got.count(2 * kPage), 0u);
  EXPECT_EQ(frames_.free(kPage), FrameFree::kNotAllocated);
}

TEST_F(FrameAllocatorTest, ReserveOfAnAllocatedFrameKeepsCountsRight) {
  frames_.add_free_range(0, 4 * kPage);
  uint64_t phys;
  ASSERT_TRUE(frames_.allocate(phys));
  EXPECT_EQ(frames_.reserve_range(phys, kPage), 1u);
  EXPECT_EQ(frames_.stats().total, 3u);
  EXPECT_EQ(frames_.stats().free, 3u);
  EXPECT_EQ(frames_.free(phys), FrameFree::kNotAllocated);
}

TEST_F(FrameAllocatorTest, AllocatesEveryFrameOnceThenFails) {
  frames_.add_free_range(0, 256 * kPage);
  std::set<uint64_t> got;
  uint64_t phys;
  for (int i = 0; i < 256; ++i) {
    ASSERT_TRUE(frames_.allocate(phys));
    EXPECT_EQ(phys % kPage, 0u);
    EXPECT_TRUE(frames_.is_allocated(phys));
    EXPECT_TRUE(got.insert(phys).second) << "frame handed out twice: " << phys;
  }
  EXPECT_FALSE(frames_.allocate(phys));
  EXPECT_EQ(frames_.stats().free, 0u);
  EXPECT_EQ(frames_.stats().peak_used, 256u);
  EXPECT_EQ(frames_.stats().allocations, 256u);
  EXPECT_EQ(frames_.stats().failed_allocations, 1u);
}

TEST_F(FrameAllocatorTest, FreedFramesComeBack) {
  frames_.add_free_range(0, 3 * kPage);
  uint64_t a, b, c, d;
  ASSERT_TRUE(frames_.allocate(a));
  ASSERT_TRUE(frames_.allocate(b));
  ASSERT_TRUE(frames_.allocate(c));
  ASSERT_FALSE(frames_.allocate(d));
  EXPECT_EQ(frames_.free(b), FrameFree::kOk);
  ASSERT_TRUE(frames_.allocate(d));
  EXPECT_EQ(d, b);
  EXPECT_EQ(frames_.stats().frees, 1u);
  EXPECT_EQ(frames_.stats().used(), 3u);
}

TEST_F(FrameAllocatorTest, RefusesBadFreesAndCountsThem) {
  frames_.add_free_range(0, 8 * kPage);
  uint64_t phys;
  ASSERT_TRUE(frames_.allocate(phys));
  EXPECT_EQ(frames_.free(phys + 8), FrameFree::kUnaligned);
  EXPECT_EQ(frames_.free(1000 * kPage), FrameFree::kOutOfRange);
  EXPECT_EQ(frames_.free(phys + kPage), FrameFree::kNotAllocated);  // usable but never allocated
  EXPECT_EQ(frames_.free(phys), FrameFree::kOk);
  EXPECT_EQ(frames_.free(phys), FrameFree::kNotAllocated);  // double free
  EXPECT_EQ(frames_.stats().rejected_frees, 4u);
  EXPECT_EQ(frames_.stats().free, 8u);
}

TEST_F(FrameAllocatorTest, ContiguousRunsSkipHolesAndAllocatedFrames) {
  frames_.add_free_range(0, 4 * kPage);
  frames_.add_free_range(8 * kPage, 8 * kPage);
  uint64_t phys;
  ASSERT_TRUE(frames_.allocate_contiguous(5, phys));
  EXPECT_EQ(phys, 8 * kPage);  // frames 0..3 are too short a run
  for (uint64_t f = 8; f < 13; ++f) EXPECT_TRUE(frames_.is_allocated(f * kPage));
  ASSERT_TRUE(frames_.allocate_contiguous(4, phys));
  EXPECT_EQ(phys, 0u);
  EXPECT_FALSE(frames_.allocate_contiguous(4, phys));  // 13..15 is three frames
  ASSERT_TRUE(frames_.allocate_contiguous(3, phys));
  EXPECT_EQ(phys, 13 * kPage);
  EXPECT_FALSE(frames_.allocate_contiguous(0, phys));
  EXPECT_FALSE(frames_.allocate_contiguous(100, phys));
  EXPECT_EQ(frames_.free_contiguous(8 * kPage, 5), FrameFree::kOk);
  EXPECT_EQ(frames_.stats().used(), 7u);
  EXPECT_EQ(frames_.stats().peak_used, 12u);
}

TEST_F(FrameAllocatorTest, FreeContiguousStopsAtTheFirstBadFrame) {
  frames_.add_free_range(0, 4 * kPage);
  uint64_t phys;
  ASSERT_TRUE(frames_.allocate_contiguous(2, phys));
  EXPECT_EQ(frames_.free_contiguous(phys, 3), FrameFree::kNotAllocated);
  EXPECT_EQ(frames_.stats().used(), 0u);
  EXPECT_EQ(frames_.stats().rejected_frees, 1u);
}

TEST_F(FrameAllocatorTest, NextFitSpreadsAllocationsAndWraps) {
  frames_.add_free_range(0, 256 * kPage);
  uint64_t a, b;
  ASSERT_TRUE(frames_.allocate(a));
  ASSERT_TRUE(frames_.free(a) == FrameFree::kOk);
  ASSERT_TRUE(frames_.allocate(b));
  EXPECT_NE(a, b);  // a just-freed frame is not reused at once (a use-after-free shows sooner)
  for (int i = 0; i < 254; ++i) ASSERT_TRUE(frames_.allocate(b));
  ASSERT_TRUE(frames_.allocate(b));  // wrapped round to frame `a`
  EXPECT_EQ(b, a);
}

TEST(FrameAllocator, ZeroWordsManagesNothing) {
  FrameAllocator frames(nullptr, nullptr, 0);
  EXPECT_EQ(frames.add_free_range(0, 1 << 20), 0u);
  uint64_t phys;
  EXPECT_FALSE(frames.allocate(phys));
  EXPECT_FALSE(frames.allocate_contiguous(1, phys));
  EXPECT_EQ(frames.free(0), FrameFree::kOutOfRange);
}

}  // namespace
}  // namespace rayos
