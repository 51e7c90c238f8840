#include "os/core/page_map.h"

namespace rayos {
namespace {

using page_flags::kPresent;
using page_flags::kUser;
using page_flags::kWritable;

constexpr size_t kEntries = 512;
constexpr size_t kUserRootEntries = 256;  // PML4 entries of the lower half
constexpr uint64_t kLargePage = 1 << 7;
constexpr uint64_t kLeafFlags = kWritable | kUser | page_flags::kNoExecute;

size_t index_at(uint64_t virt, int level) { return (virt >> (12 + 9 * level)) & (kEntries - 1); }

bool user_page(uint64_t virt) { return virt % PageMap::kPageSize == 0 && virt < PageMap::kUserEnd; }

}  // namespace

bool PageMap::create(FrameProvider& frames, uint64_t kernel_root, uint64_t& root) {
  uint64_t phys = 0;
  if (!frames.allocate_frame(phys)) return false;
  auto* fresh = static_cast<uint64_t*>(frames.frame_pointer(phys));
  const auto* kernel = static_cast<const uint64_t*>(frames.frame_pointer(kernel_root));
  for (size_t i = 0; i < kEntries; ++i) fresh[i] = i < kUserRootEntries ? 0 : kernel[i];
  root = phys;
  return true;
}

uint64_t* PageMap::leaf_entry(uint64_t virt, bool create, bool* out_of_memory) {
  uint64_t* entries = table(root_);
  for (int level = 3; level > 0; --level) {
    uint64_t& entry = entries[index_at(virt, level)];
    if ((entry & kPresent) == 0) {
      if (!create) return nullptr;
      uint64_t phys = 0;
      if (!frames_.allocate_frame(phys)) {
        if (out_of_memory != nullptr) *out_of_memory = true;
        return nullptr;
      }
      // Tables grant everything; the leaf decides (x86 takes the most restrictive level).
      entry = phys | kPresent | kWritable | kUser;
    } else if (entry & kLargePage) {
      return nullptr;  // never made by this class; refuse rather than misread it
    }
    entries = table(entry & kAddressMask);
  }
  return &entries[index_at(virt, 0)];
}

MapResult PageMap::map(uint64_t virt, uint64_t phys, uint64_t flags) {
  if (!user_page(virt) || phys % kPageSize != 0 || (phys & ~kAddressMask) != 0)
    return MapResult::kBadAddress;
  bool out_of_memory = false;
  uint64_t* entry = leaf_entry(virt, true, &out_of_memory);
  if (entry == nullptr) return out_of_memory ? MapResult::kNoMemory : MapResult::kBadAddress;
  if (*entry & kPresent) return MapResult::kAlreadyMapped;
  *entry = phys | kPresent | (flags & kLeafFlags);
  return MapResult::kOk;
}

bool PageMap::unmap(uint64_t virt, uint64_t* phys) {
  if (!user_page(virt)) return false;
  uint64_t* entry = leaf_entry(virt, false, nullptr);
  if (entry == nullptr || (*entry & kPresent) == 0) return false;
  if (phys != nullptr) *phys = *entry & kAddressMask;
  *entry = 0;
  return true;
}

bool PageMap::translate(uint64_t virt, uint64_t* phys, uint64_t* flags) const {
  if (virt >= kUserEnd) return false;
  uint64_t page = virt & ~(kPageSize - 1);
  uint64_t* entry = const_cast<PageMap*>(this)->leaf_entry(page, false, nullptr);
  if (entry == nullptr || (*entry & kPresent) == 0) return false;
  if (phys != nullptr) *phys = *entry & kAddressMask;
  if (flags != nullptr) *flags = *entry & (kLeafFlags | kPresent);
  return true;
}

void PageMap::for_each_mapping(void (*visit)(void* context, uint64_t virt, uint64_t phys),
                               void* context) const {
  const uint64_t* pml4 = table(root_);
  for (size_t i4 = 0; i4 < kUserRootEntries; ++i4) {
    if ((pml4[i4] & kPresent) == 0) continue;
    const uint64_t* pdpt = table(pml4[i4] & kAddressMask);
    for (size_t i3 = 0; i3 < kEntries; ++i3) {
      if ((pdpt[i3] & kPresent) == 0 || (pdpt[i3] & kLargePage)) continue;
      const uint64_t* pd = table(pdpt[i3] & kAddressMask);
      for (size_t i2 = 0; i2 < kEntries; ++i2) {
        if ((pd[i2] & kPresent) == 0 || (pd[i2] & kLargePage)) continue;
        const uint64_t* pt = table(pd[i2] & kAddressMask);
        for (size_t i1 = 0; i1 < kEntries; ++i1) {
          if ((pt[i1] & kPresent) == 0) continue;
          uint64_t virt = (uint64_t{i4} << 39) | (uint64_t{i3} << 30) | (uint64_t{i2} << 21) |
                          (uint64_t{i1} << 12);
          visit(context, virt, pt[i1] & kAddressMask);
        }
      }
    }
  }
}

size_t PageMap::destroy() {
  size_t freed = 0;
  uint64_t* pml4 = table(root_);
  for (size_t i4 = 0; i4 < kUserRootEntries; ++i4) {
    if ((pml4[i4] & kPresent) == 0) continue;
    uint64_t* pdpt = table(pml4[i4] & kAddressMask);
    for (size_t i3 = 0; i3 < kEntries; ++i3) {
      if ((pdpt[i3] & kPresent) == 0 || (pdpt[i3] & kLargePage)) continue;
      uint64_t* pd = table(pdpt[i3] & kAddressMask);
      for (size_t i2 = 0; i2 < kEntries; ++i2) {
        if ((pd[i2] & kPresent) == 0 || (pd[i2] & kLargePage)) continue;
        frames_.free_frame(pd[i2] & kAddressMask);
        ++freed;
      }
      frames_.free_frame(pdpt[i3] & kAddressMask);
      ++freed;
    }
    frames_.free_frame(pml4[i4] & kAddressMask);
    ++freed;
    pml4[i4] = 0;
  }
  frames_.free_frame(root_);
  root_ = 0;
  return freed + 1;
}

size_t PageMap::table_frames() const {
  size_t count = 1;
  const uint64_t* pml4 = table(root_);
  for (size_t i4 = 0; i4 < kUserRootEntries; ++i4) {
    if ((pml4[i4] & kPresent) == 0) continue;
    ++count;
    const uint64_t* pdpt = table(pml4[i4] & kAddressMask);
    for (size_t i3 = 0; i3 < kEntries; ++i3) {
      if ((pdpt[i3] & kPresent) == 0 || (pdpt[i3] & kLargePage)) continue;
      ++count;
      const uint64_t* pd = table(pdpt[i3] & kAddressMask);
      for (size_t i2 = 0; i2 < kEntries; ++i2)
        if ((pd[i2] & kPresent) != 0 && (pd[i2] & kLargePage) == 0) ++count;
    }
  }
  return count;
}

}  // namespace rayos
