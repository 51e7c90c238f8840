#include "os/core/page_map.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "os/core/tests/fake_frames.h"

namespace rayos {
namespace {

using page_flags::kNoExecute;
using page_flags::kPresent;
using page_flags::kUser;
using page_flags::kWritable;
using testing::FakeFrames;

constexpr uint64_t kPage = PageMap::kPageSize;

class PageMapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(frames_.allocate_frame(kernel_root_));
    auto* kernel = static_cast<uint64_t*>(frames_.frame_pointer(kernel_root_));
    kernel[0] = 0x1234003;    // the boot identity map: must not be copied
    kernel[511] = 0x5000003;  // the kernel half: must be
    ASSERT_TRUE(PageMap::create(frames_, kernel_root_, root_));
  }
  uint64_t frame() {
    uint64_t phys = 0;
    EXPECT_TRUE(frames_.allocate_frame(phys));
    return phys;
  }

  FakeFrames frames_;
  uint64_t kernel_root_ = 0;
  uint64_t root_ = 0;
};

TEST_F(PageMapTest, CreateCopiesOnlyTheKernelHalf) {
  const auto* fresh = static_cast<const uint64_t*>(frames_.frame_pointer(root_));
  EXPECT_EQ(fresh[0], 0u);
  EXPECT_EQ(fresh[511], 0x5000003u);
  PageMap map(frames_, root_);
  EXPECT_EQ(map.table_frames(), 1u);
}

TEST_F(PageMapTest, CreateFailsCleanlyWithoutFrames) {
  frames_.set_budget(frames_.live());
  uint64_t root = 0;
  EXPECT_FALSE(PageMap::create(frames_, kernel_root_, root));
}

TEST_F(PageMapTest, MapTranslateUnmap) {
  PageMap map(frames_, root_);
  uint64_t phys = frame();
  ASSERT_EQ(map.map(0x400000, phys, kUser | kWritable), MapResult::kOk);
  uint64_t got = 0, flags = 0;
  ASSERT_TRUE(map.translate(0x400123, &got, &flags));
  EXPECT_EQ(got, phys);
  EXPECT_EQ(flags, kPresent | kUser | kWritable);
  EXPECT_FALSE(map.translate(0x401000, &got, &flags));
  EXPECT_EQ(map.table_frames(), 4u);  // PML4, PDPT, PD, PT

  uint64_t unmapped = 0;
  EXPECT_TRUE(map.unmap(0x400000, &unmapped));
  EXPECT_EQ(unmapped, phys);
  EXPECT_FALSE(map.translate(0x400000, &got, &flags));
  EXPECT_FALSE(map.unmap(0x400000));
}

TEST_F(PageMapTest, TheHardwareEntryFormat) {
  PageMap map(frames_, root_);
  uint64_t phys = frame();
  ASSERT_EQ(map.map(0x7fff'ffff'f000, phys, kUser | kNoExecute), MapResult::kOk);
  // Walk by hand, as the MMU does: PML4[255] -> PDPT[511] -> PD[511] -> PT[511].
  const auto* pml4 = static_cast<const uint64_t*>(frames_.frame_pointer(root_));
  ASSERT_EQ(pml4[255] & 7, kPresent | kWritable | kUser);
  const auto* pdpt = static_cast<const uint64_t*>(frames_.frame_pointer(pml4[255] & ~0xfffull));
  const auto* pd = static_cast<const uint64_t*>(frames_.frame_pointer(pdpt[511] & ~0xfffull));
  const auto* pt = static_cast<const uint64_t*>(frames_.frame_pointer(pd[511] & ~0xfffull));
  EXPECT_EQ(pt[511], phys | kPresent | kUser | kNoExecute);
}

TEST_F(PageMapTest, RefusesKernelHalfUnalignedAndDoubleMaps) {
  PageMap map(frames_, root_);
  uint64_t phys = frame();
  EXPECT_EQ(map.map(PageMap::kUserEnd, phys, kUser), MapResult::kBadAddress);
  EXPECT_EQ(map.map(0xffffffff80000000, phys, kUser), MapResult::kBadAddress);
  EXPECT_EQ(map.map(0x400001, phys, kUser), MapResult::kBadAddress);
  EXPECT_EQ(map.map(0x400000, phys + 1, kUser), MapResult::kBadAddress);
  EXPECT_EQ(map.map(0x400000, uint64_t{1} << 52, kUser), MapResult::kBadAddress);
  EXPECT_EQ(map.map(0x400000, phys, kUser), MapResult::kOk);
  EXPECT_EQ(map.map(0x400000, phys, kUser), MapResult::kAlreadyMapped);
  EXPECT_FALSE(map.translate(0xffffffff80001000, nullptr, nullptr));
  EXPECT_FALSE(map.unmap(0xffffffff80001000));
}

TEST_F(PageMapTest, OutOfFramesForATableIsReported) {
  PageMap map(frames_, root_);
  uint64_t phys = frame();
  frames_.set_budget(frames_.live() + 1);  // room for the PDPT only
  EXPECT_EQ(map.map(0x400000, phys, kUser), MapResult::kNoMemory);
  frames_.set_budget(SIZE_MAX);
  EXPECT_EQ(map.map(0x400000, phys, kUser), MapResult::kOk);  // picks up where it stopped
}

TEST_F(PageMapTest, ForEachMappingVisitsEveryPageInOrder) {
  PageMap map(frames_, root_);
  std::vector<std::pair<uint64_t, uint64_t>> expected;
  for (uint64_t virt :
       {uint64_t{0x400000}, uint64_t{0x401000}, uint64_t{0x1000000000}, uint64_t{0x7ffffff000}}) {
    uint64_t phys = frame();
    ASSERT_EQ(map.map(virt, phys, kUser), MapResult::kOk);
    expected.emplace_back(virt, phys);
  }
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  map.for_each_mapping(
      [](void* context, uint64_t virt, uint64_t phys) {
        static_cast<std::vector<std::pair<uint64_t, uint64_t>>*>(context)->emplace_back(virt, phys);
      },
      &seen);
  EXPECT_EQ(seen, expected);
}

TEST_F(PageMapTest, DestroyFreesEveryTableAndLeavesTheFramesAlone) {
  PageMap map(frames_, root_);
  size_t before = frames_.live();  // kernel root + this map's root
  std::vector<uint64_t> data;
  for (uint64_t virt = 0x400000; virt < 0x400000 + 600 * kPage; virt += kPage) {
    data.push_back(frame());
    ASSERT_EQ(map.map(virt, data.back(), kUser), MapResult::kOk);
  }
  ASSERT_EQ(map.map(0x7ffffff000, frame(), kUser), MapResult::kOk);
  size_t tables = map.table_frames();
  EXPECT_EQ(tables, 1u + 1 + 2 + 3);  // one PDPT, two PDs, 600 pages span two PTs, plus one
  size_t frames_before_destroy = frames_.live();
  EXPECT_EQ(map.destroy(), tables);
  EXPECT_EQ(frames_.live(), frames_before_destroy - tables);
  EXPECT_EQ(frames_.live(), before - 1 + data.size() + 1);  // the root went too
  // The kernel root is untouched.
  EXPECT_EQ(static_cast<const uint64_t*>(frames_.frame_pointer(kernel_root_))[511], 0x5000003u);
}

}  // namespace
}  // namespace rayos
