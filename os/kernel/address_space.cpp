#include "os/kernel/address_space.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/page_map.h"
#include "os/core/syscall_abi.h"
#include "os/kernel/memory.h"

namespace rayos::kernel {
namespace {

constexpr uint64_t kPage = abi::kPageSize;

uint64_t page_down(uint64_t a) { return a & ~(kPage - 1); }
uint64_t page_up(uint64_t a) { return (a + kPage - 1) & ~(kPage - 1); }

uint64_t leaf_flags(bool writable, bool executable) {
  uint64_t flags = page_flags::kUser;
  if (writable) flags |= page_flags::kWritable;
  if (!executable && nx_enabled()) flags |= page_flags::kNoExecute;
  return flags;
}

}  // namespace

bool AddressSpace::create() { return PageMap::create(frame_provider(), kernel_root(), root_); }

bool AddressSpace::commit(uint64_t pages, uint64_t max_pages, int64_t& error) {
  if (pages > max_pages || committed_ > max_pages - pages) {
    error = abi::kErrQuota;
    return false;
  }
  if (!commit_pages(pages)) {
    error = abi::kErrNoMemory;
    return false;
  }
  committed_ += pages;
  return true;
}

bool AddressSpace::back_page(uint64_t virt, bool writable, bool executable) {
  uint64_t phys = 0;
  if (!back_committed_page(phys)) return false;
  if (PageMap(frame_provider(), root_).map(virt, phys, leaf_flags(writable, executable)) !=
      MapResult::kOk) {
    unback_committed_page(phys);  // no frame for a page table: the page stays promised
    return false;
  }
  ++resident_;
  return true;
}

int64_t AddressSpace::load(const ElfImage& image, const uint8_t* file, uint64_t max_pages) {
  uint64_t pages = abi::kUserStackPages;
  for (size_t i = 0; i < image.segment_count; ++i) {
    const ElfSegment& s = image.segments[i];
    pages += (page_up(s.vaddr + s.memsz) - page_down(s.vaddr)) / kPage;
  }
  int64_t error = 0;
  if (!commit(pages, max_pages, error)) return error;

  for (size_t i = 0; i < image.segment_count; ++i) {
    const ElfSegment& s = image.segments[i];
    uint64_t first = page_down(s.vaddr);
    uint64_t span = (page_up(s.vaddr + s.memsz) - first) / kPage;
    if (!regions_.reserve_at({first, span, RegionKind::kImage, s.writable, s.executable}))
      return abi::kErrInvalid;
    for (uint64_t page = first; page < first + span * kPage; page += kPage) {
      if (!back_page(page, s.writable, s.executable)) return abi::kErrNoMemory;
      // The file bytes that fall in this page; the rest stays zero (bss, padding).
      uint64_t from = s.vaddr > page ? s.vaddr : page;
      uint64_t to = s.vaddr + s.filesz < page + kPage ? s.vaddr + s.filesz : page + kPage;
      if (from >= to) continue;
      uint64_t phys = 0;
      PageMap(frame_provider(), root_).translate(page, &phys, nullptr);
      __builtin_memcpy(arch::phys_to_virt<uint8_t>(phys) + (from - page),
                       file + s.offset + (from - s.vaddr), to - from);
    }
  }
  uint64_t stack_base = abi::kUserStackTop - abi::kUserStackPages * kPage;
  if (!regions_.reserve_at({stack_base, abi::kUserStackPages, RegionKind::kStack, true, false}))
    return abi::kErrInvalid;
  return 0;
}

int64_t AddressSpace::map(uint64_t pages, uint64_t max_pages, uint64_t& address) {
  int64_t error = 0;
  if (!commit(pages, max_pages, error)) return error;
  if (!regions_.reserve_anywhere(pages, abi::kUserMapBase, abi::kUserMapLimit,
                                 {0, 0, RegionKind::kMap, true, false}, address)) {
    uncommit_pages(pages);
    committed_ -= pages;
    return abi::kErrQuota;  // the region table (or the map area) is full
  }
  return 0;
}

int64_t AddressSpace::unmap(uint64_t address, uint64_t pages, bool active) {
  const Region* region = regions_.find(address);
  if (region == nullptr || region->kind != RegionKind::kMap || region->base != address ||
      region->pages != pages)
    return abi::kErrNoEntry;
  Region removed{};
  regions_.remove(address, pages, removed);
  PageMap map(frame_provider(), root_);
  for (uint64_t i = 0; i < pages; ++i) {
    uint64_t phys = 0;
    if (map.unmap(address + i * kPage, &phys)) {
      if (active) arch::invlpg(address + i * kPage);
      free_frame(phys);
      --resident_;
    } else {
      uncommit_pages(1);  // promised, never touched
    }
  }
  committed_ -= pages;
  return 0;
}

FaultResult AddressSpace::fault_in(uint64_t address, bool write, bool fetch) {
  if (root_ == 0) return FaultResult::kNotMapped;
  const Region* region = regions_.find(address);
  if (region == nullptr || (write && !region->writable) || (fetch && !region->executable))
    return FaultResult::kNotMapped;
  uint64_t page = page_down(address);
  if (PageMap(frame_provider(), root_).translate(page, nullptr, nullptr))
    return FaultResult::kNotMapped;  // present: a protection fault, not a missing page
  return back_page(page, region->writable, region->executable) ? FaultResult::kResolved
                                                               : FaultResult::kNoMemory;
}

void AddressSpace::release(bool keep_tables) {
  if (root_ != 0) {
    PageMap map(frame_provider(), root_);
    map.for_each_mapping([](void*, uint64_t, uint64_t phys) { free_frame(phys); }, nullptr);
    if (!keep_tables) map.destroy();
  }
  uncommit_pages(committed_ - resident_);
  root_ = 0;
  committed_ = 0;
  resident_ = 0;
  regions_.clear();
}

bool AddressSpace::resolve(uint64_t virt, bool write, uint64_t& phys) {
  if (root_ == 0) return false;
  PageMap map(frame_provider(), root_);
  uint64_t flags = 0;
  if (!map.translate(virt, &phys, &flags)) {
    if (fault_in(virt, write, false) != FaultResult::kResolved) return false;
    if (!map.translate(virt, &phys, &flags)) return false;
  }
  if ((flags & page_flags::kUser) == 0) return false;
  return !write || (flags & page_flags::kWritable) != 0;
}

void* AddressSpace::frame_pointer(uint64_t phys) { return arch::phys_to_virt<void>(phys); }

uint64_t AddressSpace::table_frames() const {
  return root_ == 0 ? 0 : PageMap(frame_provider(), root_).table_frames();
}

}  // namespace rayos::kernel
