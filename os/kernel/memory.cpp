#include "os/kernel/memory.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/text_buffer.h"
#include "os/kernel/boot_info.h"
#include "os/kernel/console.h"

extern "C" char boot_pml4[];    // boot.S, linked at its physical address
extern "C" char _kernel_end[];  // linker.ld

namespace rayos::kernel {
namespace {

constexpr uint64_t kLowMemoryEnd = 0x100000;  // firmware, boot data: never handed out
constexpr uint64_t kKernelPhys = 0x100000;
constexpr uint32_t kMsrEfer = 0xc0000080;
constexpr uint64_t kEferNxe = 1u << 11;
constexpr uint32_t kCpuidNxBit = 1u << 20;
constexpr uint32_t kRamType = 1;

// One bit per frame of the direct map, twice (usable, allocated).
constexpr size_t kBitmapWords = arch::kDirectMapSize / FrameAllocator::kFrameSize / 64;
constinit uint64_t available_bits[kBitmapWords]{};
constinit uint64_t allocated_bits[kBitmapWords]{};

uint64_t virt_to_phys(const void* p) { return reinterpret_cast<uintptr_t>(p) - arch::kKernelVma; }

void report(StringView what, uint64_t address) {
  emit<markers::kMemError>(what, TextBuffer().add("address=").add(Hex{address}).view());
}

// The heap's pages: contiguous frames through the direct map.
class HeapPages final : public PageSource {
 public:
  constexpr HeapPages() = default;
  void* allocate_pages(size_t count) override {
    uint64_t phys = 0;
    bool ok = count == 1 ? frames().allocate(phys) : frames().allocate_contiguous(count, phys);
    return ok ? arch::phys_to_virt<void>(phys) : nullptr;
  }
  void free_pages(void* first, size_t count) override {
    if (frames().free_contiguous(virt_to_phys(first), count) != FrameFree::kOk)
      report("heap_page_free_refused", virt_to_phys(first));
  }
  bool contains(const void* address) const override {
    auto a = reinterpret_cast<uintptr_t>(address);
    if (a < arch::kKernelVma || a - arch::kKernelVma >= arch::kDirectMapSize) return false;
    return frames().is_allocated((a - arch::kKernelVma) & ~uint64_t{0xfff});
  }
};

class DirectFrames final : public FrameProvider {
 public:
  constexpr DirectFrames() = default;
  bool allocate_frame(uint64_t& phys) override {
    if (!frames().allocate(phys)) return false;
    __builtin_memset(arch::phys_to_virt<void>(phys), 0, FrameAllocator::kFrameSize);
    return true;
  }
  void free_frame(uint64_t phys) override { kernel::free_frame(phys); }
  void* frame_pointer(uint64_t phys) override { return arch::phys_to_virt<void>(phys); }
};

constinit FrameAllocator frame_allocator(available_bits, allocated_bits, kBitmapWords);
constinit HeapPages heap_pages;
constinit Heap heap(heap_pages);
constinit DirectFrames direct_frames;
constinit bool initialised = false;
constinit bool nx = false;
constinit uint64_t committed = 0;

}  // namespace

void memory_init() {
  if (initialised) return;
  initialised = true;
  const BootInfo& info = boot_info();
  for (size_t i = 0; i < info.region_count; ++i)
    if (info.regions[i].type == kRamType)
      frame_allocator.add_free_range(info.regions[i].base, info.regions[i].size);
  frame_allocator.reserve_range(0, kLowMemoryEnd);
  frame_allocator.reserve_range(kKernelPhys, virt_to_phys(_kernel_end) - kKernelPhys);
  for (size_t i = 0; i < info.module_count; ++i)  // an initrd stays readable
    frame_allocator.reserve_range(info.modules[i].base, info.modules[i].size);
  if (arch::cpuid(0x80000000).eax >= 0x80000001 &&
      (arch::cpuid(0x80000001).edx & kCpuidNxBit) != 0) {
    arch::wrmsr(kMsrEfer, arch::rdmsr(kMsrEfer) | kEferNxe);
    nx = true;
  }
}

FrameAllocator& frames() { return frame_allocator; }
Heap& kernel_heap() { return heap; }
FrameProvider& frame_provider() { return direct_frames; }
// Maps the 2 MiB around `phys` (uncached) into the device window that boot.S opened for the
// local APIC (the page directory behind KERNEL_VMA + 1 GiB), reusing a slot that maps it already.
volatile uint8_t* map_device(uint64_t phys) {
  constexpr uint64_t kLargePage = 2ull << 20;
  constexpr uint64_t kPresentWrite = 0x3, kUncached = 0x18, kLarge = 0x80;
  constexpr uint64_t kAddressMask = 0x000ffffffffff000;
  const uint64_t frame = phys & ~(kLargePage - 1);
  auto* pml4 = arch::phys_to_virt<uint64_t>(kernel_root());
  auto* pdpt = arch::phys_to_virt<uint64_t>(pml4[511] & kAddressMask);
  auto* pd = arch::phys_to_virt<uint64_t>(pdpt[511] & kAddressMask);
  const uint64_t entry = frame | kUncached | kLarge | kPresentWrite;
  for (size_t i = 0; i < 512; ++i) {
    if (pd[i] == entry || pd[i] == 0) {
      pd[i] = entry;
      return reinterpret_cast<volatile uint8_t*>(arch::kLapicVirt + i * kLargePage +
                                                 (phys - frame));
    }
  }
  return nullptr;
}

uint64_t kernel_root() { return reinterpret_cast<uintptr_t>(boot_pml4); }
bool nx_enabled() { return nx; }

void* kmalloc(size_t size, uint32_t tag) {
  arch::InterruptGuard guard;
  return heap.allocate(size, tag);
}

void kfree(void* block) {
  arch::InterruptGuard guard;
  switch (heap.free(block)) {
    case HeapFree::kOk:
      return;
    case HeapFree::kNotHeap:
      return report("kfree_of_a_pointer_not_from_the_heap", reinterpret_cast<uintptr_t>(block));
    case HeapFree::kDoubleFree:
      return report("kfree_double_free", reinterpret_cast<uintptr_t>(block));
    case HeapFree::kCorruptHeader:
      return report("kfree_corrupt_block_header", reinterpret_cast<uintptr_t>(block));
    case HeapFree::kOverflow:
      return report("kfree_buffer_overflow_canary", reinterpret_cast<uintptr_t>(block));
  }
}

void free_frame(uint64_t phys) {
  arch::InterruptGuard guard;
  if (frame_allocator.free(phys) != FrameFree::kOk) report("frame_free_refused", phys);
}

bool commit_pages(uint64_t pages) {
  arch::InterruptGuard guard;
  uint64_t free = frame_allocator.stats().free;
  if (free < committed + kReserveFrames || pages > free - committed - kReserveFrames) return false;
  committed += pages;
  return true;
}

void uncommit_pages(uint64_t pages) {
  arch::InterruptGuard guard;
  committed = pages > committed ? 0 : committed - pages;
}

uint64_t committed_pages() {
  arch::InterruptGuard guard;
  return committed;
}

bool back_committed_page(uint64_t& phys) {
  arch::InterruptGuard guard;
  if (!direct_frames.allocate_frame(phys)) return false;
  if (committed > 0) --committed;
  return true;
}

void unback_committed_page(uint64_t phys) {
  arch::InterruptGuard guard;
  free_frame(phys);
  ++committed;
}

uint64_t report_heap_leaks(uint32_t except_tag) {
  struct Tally {
    uint32_t tag;
    uint64_t blocks;
    uint64_t bytes;
  };
  struct Tallies {
    Tally entries[64];
    size_t count;
    uint32_t except;
  } tallies{};
  tallies.except = except_tag;
  {
    arch::InterruptGuard guard;
    heap.for_each_live(
        [](void* context, const LiveBlock& block) {
          auto& t = *static_cast<Tallies*>(context);
          if (block.tag == t.except) return;
          size_t i = 0;
          while (i < t.count && t.entries[i].tag != block.tag) ++i;
          if (i == t.count) {
            if (t.count == 64) return;  // more owners than lines: the rest are not itemised
            t.entries[t.count++] = Tally{block.tag, 0, 0};
          }
          ++t.entries[i].blocks;
          t.entries[i].bytes += block.size;
        },
        &tallies);
  }
  uint64_t blocks = 0;
  for (size_t i = 0; i < tallies.count; ++i) {
    emit<markers::kMemLeak>(uint64_t{tallies.entries[i].tag}, tallies.entries[i].blocks,
                            tallies.entries[i].bytes);
    blocks += tallies.entries[i].blocks;
  }
  return blocks;
}

}  // namespace rayos::kernel
