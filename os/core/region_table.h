#pragma once
// The virtual memory regions of one process: its program image, its stack and every mem_map
// region, kept sorted and never overlapping. Pages of a region are backed on first touch (the
// page-fault handler asks find()); an address in no region is a crash.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

enum class RegionKind : uint8_t { kImage, kStack, kMap };

struct Region {
  uint64_t base;  // page-aligned
  uint64_t pages;
  RegionKind kind;
  bool writable;
  bool executable;
  uint64_t end() const { return base + pages * 4096; }
};

class RegionTable {
 public:
  static constexpr size_t kMaxRegions = 32;
  static constexpr uint64_t kPageSize = 4096;

  // Places a region of `pages` at the lowest address in [low, high) that leaves at least one
  // unmapped guard page on both sides of it. False when no room or the table is full.
  bool reserve_anywhere(uint64_t pages, uint64_t low, uint64_t high, Region shape, uint64_t& base);
  // A region at a fixed place. False if it overlaps another one, is unaligned, empty, or the
  // table is full.
  bool reserve_at(const Region& region);
  // The region containing `address`, or nullptr.
  const Region* find(uint64_t address) const;
  // Removes the region that starts at `base` and has exactly `pages` pages.
  bool remove(uint64_t base, uint64_t pages, Region& removed);

  size_t count() const { return count_; }
  const Region& at(size_t i) const { return regions_[i]; }
  uint64_t total_pages() const;
  void clear() { count_ = 0; }

 private:
  bool insert(const Region& region);

  Region regions_[kMaxRegions] = {};
  size_t count_ = 0;
};

}  // namespace rayos
