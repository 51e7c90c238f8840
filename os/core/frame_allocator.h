#pragma once
// The physical frame allocator: one bit per 4 KiB frame, fed with the usable ranges of the boot
// memory map. Frames that were never handed in (holes, the kernel image, firmware) can never be
// allocated or freed, and a second bitmap remembers what was allocated, so a double free or a
// free of a foreign frame is refused and counted instead of corrupting the pool.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

struct FrameStats {
  uint64_t total = 0;      // frames handed in as usable
  uint64_t free = 0;       // of those, not allocated now
  uint64_t peak_used = 0;  // highest total - free seen
  uint64_t allocations = 0;
  uint64_t frees = 0;
  uint64_t failed_allocations = 0;  // nothing (contiguous) left
  uint64_t rejected_frees = 0;      // double, unaligned or foreign frees
  uint64_t used() const { return total - free; }
};

enum class FrameFree { kOk, kUnaligned, kOutOfRange, kNotAllocated };

class FrameAllocator {
 public:
  static constexpr uint64_t kFrameSize = 4096;

  // Manages physical addresses [0, words * 64 * kFrameSize) with caller-owned bitmaps of
  // `words` 64-bit words each, which must be zeroed: no frame is usable until add_free_range.
  constexpr FrameAllocator(uint64_t* available, uint64_t* allocated, size_t words)
      : available_(available), allocated_(allocated), words_(words) {}

  // Makes the whole frames inside [base, base + size) usable; parts beyond the managed range
  // are ignored. Returns the number of frames added (frames already usable are not re-added).
  uint64_t add_free_range(uint64_t base, uint64_t size);
  // Takes the frames touching [base, base + size) out of the pool for good (the kernel image,
  // boot data). Returns the number of usable frames removed.
  uint64_t reserve_range(uint64_t base, uint64_t size);

  // One frame; false when none is left.
  bool allocate(uint64_t& phys);
  // `count` physically contiguous frames (count >= 1); false when no run is long enough.
  bool allocate_contiguous(size_t count, uint64_t& phys);
  FrameFree free(uint64_t phys);
  // Frees `count` frames from `phys`; stops at the first refused frame and returns its result.
  FrameFree free_contiguous(uint64_t phys, size_t count);

  bool is_allocated(uint64_t phys) const;
  uint64_t limit() const { return words_ * 64 * kFrameSize; }
  const FrameStats& stats() const { return stats_; }

 private:
  static bool test(const uint64_t* bits, uint64_t frame) {
    return (bits[frame / 64] >> (frame % 64)) & 1;
  }
  static void set(uint64_t* bits, uint64_t frame) {
    bits[frame / 64] |= uint64_t{1} << (frame % 64);
  }
  static void clear(uint64_t* bits, uint64_t frame) {
    bits[frame / 64] &= ~(uint64_t{1} << (frame % 64));
  }
  bool free_frame(uint64_t frame) const {
    return test(available_, frame) && !test(allocated_, frame);
  }
  void take(uint64_t frame);
  void note_used();

  uint64_t* available_;  // bit set: usable RAM handed in
  uint64_t* allocated_;  // bit set: currently allocated
  size_t words_;
  uint64_t cursor_ = 0;  // next-fit: the search starts after the last allocation
  FrameStats stats_{};
};

}  // namespace rayos
