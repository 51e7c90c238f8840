#pragma once
// The kernel heap: size-class slabs (one page each) for blocks up to 2 KiB, whole pages for larger
// ones. Every block carries a header canary and a trailing canary; free() checks both, and refuses
// (and counts) pointers the heap never handed out, double frees and overwritten headers instead of
// corrupting itself. Empty slabs go back to the page source at once, so "pages in use" returns to
// its old value when every block is freed. Each block carries a tag (the kernel uses the owning
// process id) for leak reports.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

// Where the heap gets its pages: the kernel maps frames from the frame allocator; the host tests
// use aligned_alloc.
class PageSource {
 public:
  static constexpr size_t kPageSize = 4096;
  // `count` contiguous, kPageSize-aligned pages, or nullptr.
  virtual void* allocate_pages(size_t count) = 0;
  virtual void free_pages(void* first, size_t count) = 0;
  // Whether `address` lies in a page this source handed out, so that the heap may read it while
  // checking a pointer given to free().
  virtual bool contains(const void* address) const = 0;

 protected:
  ~PageSource() = default;
};

struct HeapStats {
  uint64_t allocations = 0;
  uint64_t frees = 0;
  uint64_t failed_allocations = 0;  // out of pages, or a size of 0 or over kMaxAllocation
  uint64_t rejected_frees = 0;      // not a heap block, double free, corrupt header
  uint64_t overflows = 0;           // freed blocks whose trailing canary was overwritten
  uint64_t corrupt_slabs = 0;       // slabs retired because a free slot was overwritten
  uint64_t live_blocks = 0;
  uint64_t live_bytes = 0;  // bytes requested by the live blocks
  uint64_t peak_live_bytes = 0;
  uint64_t pages = 0;  // pages the heap holds now
  // The share of the heap's pages not covered by live bytes (headers, canaries, slack, free
  // slots), in percent; 0 with no pages.
  uint64_t fragmentation_percent() const;
};

enum class HeapFree {
  kOk,
  kNotHeap,        // not a pointer the heap handed out
  kDoubleFree,     // the block is already free
  kCorruptHeader,  // the header canary was overwritten: the block is left alone (leaked)
  kOverflow,       // the trailing canary was overwritten: the block was freed all the same
};

// What a live block looks like to a leak report.
struct LiveBlock {
  const void* data;
  size_t size;
  uint32_t tag;
};

class Heap {
 public:
  static constexpr size_t kMaxAllocation = size_t{1} << 24;
  static constexpr size_t kClassCount = 8;  // 16, 32, ... 2048 bytes

  explicit constexpr Heap(PageSource& pages) : pages_(pages) {}
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  // nullptr when out of pages or when size is 0 or above kMaxAllocation. 8-byte aligned.
  void* allocate(size_t size, uint32_t tag);
  // nullptr is a no-op (kOk).
  HeapFree free(void* data);

  const HeapStats& stats() const { return stats_; }
  // Live blocks with `tag`, and their bytes.
  uint64_t live_blocks_with_tag(uint32_t tag, uint64_t* bytes = nullptr) const;
  // Calls visit(context, block) for every live block, newest first.
  void for_each_live(void (*visit)(void* context, const LiveBlock& block), void* context) const;

 private:
  struct BlockHeader;
  struct PageHeader;

  void* allocate_small(size_t class_index, size_t size, uint32_t tag);
  void* allocate_large(size_t size, uint32_t tag);
  void* make_live(BlockHeader* block, size_t size, uint32_t tag);
  PageHeader* new_slab(size_t class_index);
  PageHeader* page_of(const void* data) const;
  void unlink_live(BlockHeader* block);
  void release_slab(PageHeader* page);

  PageSource& pages_;
  PageHeader* partial_[kClassCount] = {};  // slabs with at least one free slot
  BlockHeader* live_ = nullptr;            // every live block, for leak reports
  HeapStats stats_{};
};

}  // namespace rayos
