#include "os/core/region_table.h"

namespace rayos {

bool RegionTable::insert(const Region& region) {
  if (count_ == kMaxRegions) return false;
  size_t at = 0;
  while (at < count_ && regions_[at].base < region.base) ++at;
  for (size_t i = count_; i > at; --i) regions_[i] = regions_[i - 1];
  regions_[at] = region;
  ++count_;
  return true;
}

bool RegionTable::reserve_anywhere(uint64_t pages, uint64_t low, uint64_t high, Region shape,
                                   uint64_t& base) {
  if (pages == 0 || low % kPageSize != 0 || high % kPageSize != 0 || low >= high ||
      high > (uint64_t{1} << 62) || pages > (high - low) / kPageSize || count_ == kMaxRegions)
    return false;
  uint64_t span = pages * kPageSize;
  uint64_t candidate = low;
  for (size_t i = 0; i < count_; ++i) {
    const Region& r = regions_[i];
    if (r.end() + kPageSize <= candidate) continue;     // wholly below, guard page kept
    if (candidate + span + kPageSize <= r.base) break;  // fits before r, guard page kept
    candidate = r.end() + kPageSize;
    if (candidate >= high) return false;
  }
  if (candidate >= high || span > high - candidate) return false;
  shape.base = candidate;
  shape.pages = pages;
  base = candidate;
  return insert(shape);
}

bool RegionTable::reserve_at(const Region& region) {
  if (region.pages == 0 || region.base % kPageSize != 0 ||
      region.pages > ((uint64_t{1} << 62) - region.base) / kPageSize)
    return false;
  for (size_t i = 0; i < count_; ++i)
    if (region.base < regions_[i].end() && regions_[i].base < region.end()) return false;
  return insert(region);
}

const Region* RegionTable::find(uint64_t address) const {
  for (size_t i = 0; i < count_; ++i)
    if (address >= regions_[i].base && address < regions_[i].end()) return &regions_[i];
  return nullptr;
}

bool RegionTable::remove(uint64_t base, uint64_t pages, Region& removed) {
  for (size_t i = 0; i < count_; ++i) {
    if (regions_[i].base != base) continue;
    if (regions_[i].pages != pages) return false;
    removed = regions_[i];
    for (size_t k = i + 1; k < count_; ++k) regions_[k - 1] = regions_[k];
    --count_;
    return true;
  }
  return false;
}

uint64_t RegionTable::total_pages() const {
  uint64_t pages = 0;
  for (size_t i = 0; i < count_; ++i) pages += regions_[i].pages;
  return pages;
}

}  // namespace rayos
