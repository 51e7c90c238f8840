#include "os/core/heap.h"

namespace rayos {
namespace {

constexpr size_t kPageSize = PageSource::kPageSize;
constexpr size_t kClassSizes[Heap::kClassCount] = {16, 32, 64, 128, 256, 512, 1024, 2048};
constexpr uint32_t kLargeClass = 0xffffffff;
constexpr uint64_t kSlabMagic = 0x534c4142'52415953;   // "SYARBALS"
constexpr uint64_t kLargeMagic = 0x4c524745'52415953;  // "SYAREGRL"
constexpr uint32_t kLiveCanary = 0xa11c0de5;
constexpr uint32_t kFreeCanary = 0xf4eeb10c;
constexpr uint8_t kTrailer[8] = {0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xf0, 0x0d};
constexpr uint8_t kPoison = 0xdd;  // fills freed blocks: a use after free reads garbage, visibly

// Canaries depend on where the header lives, so that a header copied elsewhere does not pass.
uint32_t canary(uint32_t base, const void* where) {
  return base ^ static_cast<uint32_t>(reinterpret_cast<uintptr_t>(where) >> 3);
}
uint64_t page_magic(uint64_t base, const void* page) {
  return base ^ reinterpret_cast<uintptr_t>(page);
}

}  // namespace

struct Heap::BlockHeader {
  uint32_t canary;
  uint32_t size;
  uint32_t tag;
  uint32_t reserved;
  BlockHeader* prev;  // live list
  BlockHeader* next;  // live list, or the slab's free list
};

struct alignas(64) Heap::PageHeader {
  uint64_t magic;
  uint32_t class_index;  // kLargeClass for a large block
  uint32_t page_count;
  uint32_t used;
  uint32_t capacity;
  BlockHeader* free_list;
  PageHeader* prev;  // partial slab list
  PageHeader* next;
};

namespace {

constexpr size_t kBlockHeader = 32;
constexpr size_t kPageHeader = 64;
constexpr size_t kTrailerSize = sizeof(kTrailer);

size_t slot_size(size_t class_index) {
  return kBlockHeader + kClassSizes[class_index] + kTrailerSize;
}

uint8_t* data_of(void* block) { return static_cast<uint8_t*>(block) + kBlockHeader; }

bool trailer_intact(const uint8_t* data, size_t size) {
  for (size_t i = 0; i < kTrailerSize; ++i)
    if (data[size + i] != kTrailer[i]) return false;
  return true;
}

}  // namespace

uint64_t HeapStats::fragmentation_percent() const {
  if (pages == 0) return 0;
  uint64_t bytes = pages * kPageSize;
  return (bytes - live_bytes) * 100 / bytes;
}

void* Heap::allocate(size_t size, uint32_t tag) {
  if (size == 0 || size > kMaxAllocation) {
    ++stats_.failed_allocations;
    return nullptr;
  }
  for (size_t c = 0; c < kClassCount; ++c)
    if (size <= kClassSizes[c]) return allocate_small(c, size, tag);
  return allocate_large(size, tag);
}

void* Heap::make_live(BlockHeader* block, size_t size, uint32_t tag) {
  block->canary = canary(kLiveCanary, block);
  block->size = static_cast<uint32_t>(size);
  block->tag = tag;
  block->reserved = 0;
  block->prev = nullptr;
  block->next = live_;
  if (live_ != nullptr) live_->prev = block;
  live_ = block;
  uint8_t* data = data_of(block);
  for (size_t i = 0; i < kTrailerSize; ++i) data[size + i] = kTrailer[i];
  ++stats_.allocations;
  ++stats_.live_blocks;
  stats_.live_bytes += size;
  if (stats_.live_bytes > stats_.peak_live_bytes) stats_.peak_live_bytes = stats_.live_bytes;
  return data;
}

Heap::PageHeader* Heap::new_slab(size_t class_index) {
  auto* page = static_cast<PageHeader*>(pages_.allocate_pages(1));
  if (page == nullptr) return nullptr;
  ++stats_.pages;
  page->magic = page_magic(kSlabMagic, page);
  page->class_index = static_cast<uint32_t>(class_index);
  page->page_count = 1;
  page->used = 0;
  page->capacity = static_cast<uint32_t>((kPageSize - kPageHeader) / slot_size(class_index));
  page->free_list = nullptr;
  // Thread the free list so that the lowest slot is handed out first.
  for (uint32_t i = page->capacity; i-- > 0;) {
    auto* block = reinterpret_cast<BlockHeader*>(reinterpret_cast<uint8_t*>(page) + kPageHeader +
                                                 i * slot_size(class_index));
    block->canary = canary(kFreeCanary, block);
    block->next = page->free_list;
    page->free_list = block;
  }
  page->prev = nullptr;
  page->next = partial_[class_index];
  if (page->next != nullptr) page->next->prev = page;
  partial_[class_index] = page;
  return page;
}

void* Heap::allocate_small(size_t class_index, size_t size, uint32_t tag) {
  for (;;) {
    PageHeader* page = partial_[class_index];
    if (page == nullptr) page = new_slab(class_index);
    if (page == nullptr) {
      ++stats_.failed_allocations;
      return nullptr;
    }
    BlockHeader* block = page->free_list;
    bool corrupt = block == nullptr || block->canary != canary(kFreeCanary, block);
    if (corrupt) {
      // A free slot was overwritten (a write after free): its free-list link cannot be trusted.
      // The slab is retired as if full and never returned, rather than handing out bad memory.
      ++stats_.corrupt_slabs;
      page->used = page->capacity;
      page->free_list = nullptr;
    } else {
      page->free_list = block->next;
      ++page->used;
    }
    if (page->used == page->capacity) {  // full: off the partial list until a slot is freed
      partial_[class_index] = page->next;
      if (page->next != nullptr) page->next->prev = nullptr;
      page->next = page->prev = nullptr;
    }
    if (!corrupt) return make_live(block, size, tag);
  }
}

void* Heap::allocate_large(size_t size, uint32_t tag) {
  size_t count = (kPageHeader + kBlockHeader + size + kTrailerSize + kPageSize - 1) / kPageSize;
  auto* page = static_cast<PageHeader*>(pages_.allocate_pages(count));
  if (page == nullptr) {
    ++stats_.failed_allocations;
    return nullptr;
  }
  stats_.pages += count;
  page->magic = page_magic(kLargeMagic, page);
  page->class_index = kLargeClass;
  page->page_count = static_cast<uint32_t>(count);
  page->used = 1;
  page->capacity = 1;
  page->free_list = nullptr;
  page->prev = page->next = nullptr;
  return make_live(reinterpret_cast<BlockHeader*>(reinterpret_cast<uint8_t*>(page) + kPageHeader),
                   size, tag);
}

Heap::PageHeader* Heap::page_of(const void* data) const {
  auto address = reinterpret_cast<uintptr_t>(data);
  if (address % 8 != 0 || address < kPageHeader + kBlockHeader) return nullptr;
  auto* page = reinterpret_cast<PageHeader*>(address & ~(uintptr_t{kPageSize} - 1));
  if (!pages_.contains(page)) return nullptr;
  uintptr_t offset = address - reinterpret_cast<uintptr_t>(page);
  if (offset < kPageHeader + kBlockHeader) return nullptr;
  uintptr_t slot_offset = offset - kPageHeader - kBlockHeader;
  if (page->magic == page_magic(kLargeMagic, page)) return slot_offset == 0 ? page : nullptr;
  if (page->magic != page_magic(kSlabMagic, page) || page->class_index >= kClassCount)
    return nullptr;
  size_t slot = slot_size(page->class_index);
  if (slot_offset % slot != 0 || slot_offset / slot >= page->capacity) return nullptr;
  return page;
}

void Heap::unlink_live(BlockHeader* block) {
  if (block->prev != nullptr)
    block->prev->next = block->next;
  else
    live_ = block->next;
  if (block->next != nullptr) block->next->prev = block->prev;
}

void Heap::release_slab(PageHeader* page) {
  if (page->prev != nullptr)
    page->prev->next = page->next;
  else
    partial_[page->class_index] = page->next;
  if (page->next != nullptr) page->next->prev = page->prev;
  page->magic = 0;
  pages_.free_pages(page, 1);
  --stats_.pages;
}

HeapFree Heap::free(void* data) {
  if (data == nullptr) return HeapFree::kOk;
  PageHeader* page = page_of(data);
  if (page == nullptr) {
    ++stats_.rejected_frees;
    return HeapFree::kNotHeap;
  }
  auto* block = reinterpret_cast<BlockHeader*>(static_cast<uint8_t*>(data) - kBlockHeader);
  if (block->canary != canary(kLiveCanary, block)) {
    ++stats_.rejected_frees;
    return block->canary == canary(kFreeCanary, block) ? HeapFree::kDoubleFree
                                                       : HeapFree::kCorruptHeader;
  }
  size_t limit = page->class_index == kLargeClass
                     ? page->page_count * kPageSize - kPageHeader - kBlockHeader - kTrailerSize
                     : kClassSizes[page->class_index];
  if (block->size == 0 || block->size > limit) {
    ++stats_.rejected_frees;
    return HeapFree::kCorruptHeader;
  }
  HeapFree result = HeapFree::kOk;
  if (!trailer_intact(data_of(block), block->size)) {
    ++stats_.overflows;
    result = HeapFree::kOverflow;
  }
  unlink_live(block);
  ++stats_.frees;
  --stats_.live_blocks;
  stats_.live_bytes -= block->size;
  __builtin_memset(data, kPoison, block->size + kTrailerSize);
  block->canary = canary(kFreeCanary, block);

  if (page->class_index == kLargeClass) {
    page->magic = 0;
    stats_.pages -= page->page_count;
    pages_.free_pages(page, page->page_count);
    return result;
  }
  block->next = page->free_list;
  page->free_list = block;
  if (page->used-- == page->capacity) {  // was full: back on the partial list
    page->prev = nullptr;
    page->next = partial_[page->class_index];
    if (page->next != nullptr) page->next->prev = page;
    partial_[page->class_index] = page;
  }
  if (page->used == 0) release_slab(page);
  return result;
}

uint64_t Heap::live_blocks_with_tag(uint32_t tag, uint64_t* bytes) const {
  uint64_t blocks = 0, total = 0;
  for (const BlockHeader* block = live_; block != nullptr; block = block->next) {
    if (block->tag != tag) continue;
    ++blocks;
    total += block->size;
  }
  if (bytes != nullptr) *bytes = total;
  return blocks;
}

void Heap::for_each_live(void (*visit)(void* context, const LiveBlock& block),
                         void* context) const {
  for (const BlockHeader* block = live_; block != nullptr; block = block->next)
    visit(context, LiveBlock{reinterpret_cast<const uint8_t*>(block) + kBlockHeader, block->size,
                             block->tag});
}

}  // namespace rayos
