#include "os/core/heap.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <vector>

#include "os/core/prng.h"

namespace rayos {
namespace {

constexpr size_t kPage = PageSource::kPageSize;

// Pages from aligned_alloc, with a budget so that running out can be tested.
class TestPages final : public PageSource {
 public:
  explicit TestPages(size_t budget = SIZE_MAX) : budget_(budget) {}
  ~TestPages() {
    for (auto& [page, count] : pages_) std::free(page);
  }
  void* allocate_pages(size_t count) override {
    if (count > budget_ - used_) return nullptr;
    void* page = std::aligned_alloc(kPage, count * kPage);
    std::memset(page, 0xa5, count * kPage);  // not zeroed: the heap must not rely on it
    pages_[page] = count;
    used_ += count;
    return page;
  }
  void free_pages(void* first, size_t count) override {
    auto it = pages_.find(first);
    ASSERT_NE(it, pages_.end()) << "freeing pages the source never gave";
    ASSERT_EQ(it->second, count);
    used_ -= count;
    pages_.erase(it);
    std::free(first);
  }
  bool contains(const void* address) const override {
    auto a = reinterpret_cast<uintptr_t>(address);
    auto it = pages_.upper_bound(const_cast<void*>(address));
    if (it == pages_.begin()) return false;
    --it;
    auto start = reinterpret_cast<uintptr_t>(it->first);
    return a >= start && a < start + it->second * kPage;
  }
  size_t used() const { return used_; }

 private:
  size_t budget_;
  size_t used_ = 0;
  std::map<void*, size_t> pages_;
};

class HeapTest : public ::testing::Test {
 protected:
  TestPages pages_;
  Heap heap_{pages_};
};

TEST_F(HeapTest, SmallBlocksAreUsableAlignedAndCounted) {
  std::vector<void*> blocks;
  for (size_t size : {1, 8, 16, 17, 100, 1000, 2048}) {
    void* p = heap_.allocate(size, 7);
    ASSERT_NE(p, nullptr) << size;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 8, 0u);
    std::memset(p, 0x5a, size);
    blocks.push_back(p);
  }
  EXPECT_EQ(heap_.stats().allocations, 7u);
  EXPECT_EQ(heap_.stats().live_blocks, 7u);
  EXPECT_EQ(heap_.stats().live_bytes, 1u + 8 + 16 + 17 + 100 + 1000 + 2048);
  EXPECT_EQ(heap_.stats().pages, pages_.used());
  for (void* p : blocks) EXPECT_EQ(heap_.free(p), HeapFree::kOk);
  EXPECT_EQ(heap_.stats().live_blocks, 0u);
  EXPECT_EQ(heap_.stats().live_bytes, 0u);
  EXPECT_EQ(heap_.stats().peak_live_bytes, 3190u);
  EXPECT_EQ(heap_.stats().frees, 7u);
}

TEST_F(HeapTest, EmptySlabsGoBackToThePageSource) {
  std::vector<void*> blocks;
  for (int i = 0; i < 500; ++i) blocks.push_back(heap_.allocate(24, 1));
  EXPECT_GT(pages_.used(), 1u);
  for (void* p : blocks) ASSERT_EQ(heap_.free(p), HeapFree::kOk);
  EXPECT_EQ(pages_.used(), 0u);
  EXPECT_EQ(heap_.stats().pages, 0u);
  EXPECT_EQ(heap_.stats().fragmentation_percent(), 0u);
}

TEST_F(HeapTest, BlocksNeverOverlap) {
  Prng prng(3);
  std::map<uintptr_t, size_t> live;
  for (int i = 0; i < 3000; ++i) {
    if (!live.empty() && prng.chance(2, 5)) {
      auto it = live.begin();
      std::advance(it, static_cast<long>(prng.below(live.size())));
      // The block still holds its fill byte: nobody else wrote into it.
      auto* bytes = reinterpret_cast<uint8_t*>(it->first);
      for (size_t k = 0; k < it->second; ++k)
        ASSERT_EQ(bytes[k], static_cast<uint8_t>(it->first >> 4));
      ASSERT_EQ(heap_.free(bytes), HeapFree::kOk);
      live.erase(it);
      continue;
    }
    size_t size = 1 + prng.below(prng.chance(1, 10) ? 20000 : 2048);
    auto* p = static_cast<uint8_t*>(heap_.allocate(size, 0));
    ASSERT_NE(p, nullptr);
    auto a = reinterpret_cast<uintptr_t>(p);
    auto next = live.lower_bound(a);
    if (next != live.end()) {
      ASSERT_LE(a + size, next->first);
    }
    if (next != live.begin()) {
      ASSERT_GE(a, std::prev(next)->first + std::prev(next)->second);
    }
    std::memset(p, static_cast<uint8_t>(a >> 4), size);
    live[a] = size;
  }
  for (auto& [a, size] : live) ASSERT_EQ(heap_.free(reinterpret_cast<void*>(a)), HeapFree::kOk);
  EXPECT_EQ(pages_.used(), 0u);
}

TEST_F(HeapTest, LargeBlocksUseWholePages) {
  void* p = heap_.allocate(3 * kPage, 2);
  ASSERT_NE(p, nullptr);
  std::memset(p, 1, 3 * kPage);
  EXPECT_EQ(pages_.used(), 4u);  // headers and canary spill into a fourth page
  EXPECT_EQ(heap_.stats().pages, 4u);
  EXPECT_EQ(heap_.stats().fragmentation_percent(), (4 * kPage - 3 * kPage) * 100 / (4 * kPage));
  EXPECT_EQ(heap_.free(p), HeapFree::kOk);
  EXPECT_EQ(pages_.used(), 0u);
}

TEST_F(HeapTest, RejectsZeroAndHugeSizes) {
  EXPECT_EQ(heap_.allocate(0, 0), nullptr);
  EXPECT_EQ(heap_.allocate(Heap::kMaxAllocation + 1, 0), nullptr);
  EXPECT_EQ(heap_.allocate(SIZE_MAX, 0), nullptr);
  EXPECT_EQ(heap_.stats().failed_allocations, 3u);
  EXPECT_EQ(heap_.stats().allocations, 0u);
}

TEST(Heap, OutOfPagesIsANullNotACrash) {
  TestPages pages(3);
  Heap heap(pages);
  EXPECT_EQ(heap.allocate(4 * kPage, 0), nullptr);
  std::vector<void*> blocks;
  while (void* p = heap.allocate(2000, 0)) blocks.push_back(p);
  EXPECT_EQ(blocks.size(), 3u);  // one 2 KiB slot per slab page
  EXPECT_EQ(heap.stats().failed_allocations, 2u);
  ASSERT_EQ(heap.free(blocks.back()), HeapFree::kOk);
  EXPECT_NE(heap.allocate(2000, 0), nullptr);  // usable again once a page came back
}

TEST_F(HeapTest, DetectsDoubleFree) {
  void* p = heap_.allocate(40, 0);
  void* keep = heap_.allocate(40, 0);  // keeps the slab alive, so the freed header stays readable
  ASSERT_EQ(heap_.free(p), HeapFree::kOk);
  EXPECT_EQ(heap_.free(p), HeapFree::kDoubleFree);
  EXPECT_EQ(heap_.stats().rejected_frees, 1u);
  EXPECT_EQ(heap_.stats().live_blocks, 1u);
  EXPECT_EQ(heap_.free(keep), HeapFree::kOk);
}

TEST_F(HeapTest, RejectsPointersItNeverHandedOut) {
  int on_stack = 0;
  void* p = heap_.allocate(100, 0);
  EXPECT_EQ(heap_.free(&on_stack), HeapFree::kNotHeap);
  EXPECT_EQ(heap_.free(static_cast<uint8_t*>(p) + 8), HeapFree::kNotHeap);  // inside a block
  EXPECT_EQ(heap_.free(static_cast<uint8_t*>(p) + 1), HeapFree::kNotHeap);  // misaligned
  EXPECT_EQ(heap_.free(reinterpret_cast<void*>(uintptr_t{8})), HeapFree::kNotHeap);
  EXPECT_EQ(heap_.stats().rejected_frees, 4u);
  EXPECT_EQ(heap_.free(nullptr), HeapFree::kOk);
  EXPECT_EQ(heap_.free(p), HeapFree::kOk);
}

TEST_F(HeapTest, OverflowIntoTheTrailingCanaryIsReportedAndTheBlockStillFreed) {
  auto* p = static_cast<uint8_t*>(heap_.allocate(10, 0));
  p[10] = 0;  // one byte past the end
  EXPECT_EQ(heap_.free(p), HeapFree::kOverflow);
  EXPECT_EQ(heap_.stats().overflows, 1u);
  EXPECT_EQ(heap_.stats().live_blocks, 0u);
  EXPECT_EQ(pages_.used(), 0u);

  auto* big = static_cast<uint8_t*>(heap_.allocate(5000, 0));
  big[5007] ^= 1;  // last canary byte
  EXPECT_EQ(heap_.free(big), HeapFree::kOverflow);
  EXPECT_EQ(pages_.used(), 0u);
}

TEST_F(HeapTest, AnOverwrittenHeaderIsRefusedAndTheBlockLeftAlone) {
  auto* p = static_cast<uint8_t*>(heap_.allocate(64, 5));
  std::memset(p - 32, 0x41, 8);  // underflow into the header: canary and size
  EXPECT_EQ(heap_.free(p), HeapFree::kCorruptHeader);
  EXPECT_EQ(heap_.stats().live_blocks, 1u);
  EXPECT_EQ(heap_.live_blocks_with_tag(5), 1u);
}

TEST_F(HeapTest, AnOversizedHeaderSizeIsRefused) {
  auto* p = static_cast<uint8_t*>(heap_.allocate(64, 0));
  uint32_t huge = 100000;
  std::memcpy(p - 28, &huge, sizeof huge);  // the size field, canary intact
  EXPECT_EQ(heap_.free(p), HeapFree::kCorruptHeader);
}

TEST_F(HeapTest, AWriteAfterFreeRetiresTheSlabInsteadOfHandingOutBadMemory) {
  auto* a = static_cast<uint8_t*>(heap_.allocate(16, 0));
  void* keep = heap_.allocate(16, 0);
  ASSERT_EQ(heap_.free(a), HeapFree::kOk);
  std::memset(a - 32, 0, 32);  // the freed slot's header, free-list link included
  void* b = heap_.allocate(16, 0);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(b, a);
  EXPECT_EQ(heap_.stats().corrupt_slabs, 1u);
  EXPECT_EQ(heap_.free(b), HeapFree::kOk);
  EXPECT_EQ(heap_.free(keep), HeapFree::kOk);
}

TEST_F(HeapTest, FreedMemoryIsPoisoned) {
  auto* p = static_cast<uint8_t*>(heap_.allocate(32, 0));
  void* keep = heap_.allocate(32, 0);
  std::memset(p, 0, 32);
  ASSERT_EQ(heap_.free(p), HeapFree::kOk);
  for (int i = 0; i < 32; ++i) EXPECT_EQ(p[i], 0xdd);
  heap_.free(keep);
}

TEST_F(HeapTest, LeakReportByTag) {
  void* a = heap_.allocate(10, 1);
  void* b = heap_.allocate(20, 2);
  void* c = heap_.allocate(3000, 2);
  uint64_t bytes = 0;
  EXPECT_EQ(heap_.live_blocks_with_tag(2, &bytes), 2u);
  EXPECT_EQ(bytes, 3020u);
  EXPECT_EQ(heap_.live_blocks_with_tag(9, &bytes), 0u);
  EXPECT_EQ(bytes, 0u);

  std::set<std::pair<uint32_t, size_t>> seen;
  heap_.for_each_live(
      [](void* context, const LiveBlock& block) {
        static_cast<std::set<std::pair<uint32_t, size_t>>*>(context)->insert(
            {block.tag, block.size});
      },
      &seen);
  EXPECT_EQ(seen, (std::set<std::pair<uint32_t, size_t>>{{1, 10}, {2, 20}, {2, 3000}}));
  heap_.free(b);
  EXPECT_EQ(heap_.live_blocks_with_tag(2), 1u);
  heap_.free(a);
  heap_.free(c);
  EXPECT_EQ(heap_.live_blocks_with_tag(1), 0u);
}

TEST_F(HeapTest, FragmentationFollowsLiveBytes) {
  EXPECT_EQ(heap_.stats().fragmentation_percent(), 0u);
  std::vector<void*> blocks;
  for (int i = 0; i < 200; ++i) blocks.push_back(heap_.allocate(64, 0));
  uint64_t packed = heap_.stats().fragmentation_percent();
  EXPECT_LT(packed, 50u);  // 64 of every 104 slot bytes are payload
  for (size_t i = 0; i < blocks.size(); ++i)
    if (i % 8 != 0) heap_.free(blocks[i]);  // one block left in every few slots: holes
  EXPECT_GT(heap_.stats().fragmentation_percent(), packed);
  for (size_t i = 0; i < blocks.size(); i += 8) heap_.free(blocks[i]);
}

}  // namespace
}  // namespace rayos
