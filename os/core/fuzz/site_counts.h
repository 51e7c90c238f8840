#pragma once
// Line coverage for fuzz campaigns: an execution count per instrumented block, so that the host
// can map them to source lines (guestfuzz/line_coverage.h). Each block calls the trace-pc
// callback; the call's return address, taken in 4-byte granules of the kernel's text, indexes a
// counter. A call instruction is 5 bytes long, so no two call sites share a granule. Off (and
// costing one compare per block) until counters are attached.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

class SiteCounts {
 public:
  static constexpr unsigned kGranuleShift = 2;

  // `counts` holds one counter per granule of [text_start, text_start + granules * 4); zeroed.
  void attach(uint32_t* counts, uint64_t text_start, size_t granules) {
    for (size_t i = 0; i < granules; ++i) counts[i] = 0;
    counts_ = counts;
    start_ = text_start;
    granules_ = granules;
  }
  bool attached() const { return granules_ != 0; }

  void hit(uint64_t return_address) {
    const uint64_t granule = (return_address - start_) >> kGranuleShift;
    if (granule < granules_ && counts_[granule] != UINT32_MAX) ++counts_[granule];
  }

  // f(offset of the granule from the text's start, count) for every granule that was hit.
  template <typename F>
  void for_each_hit(F f) const {
    for (size_t i = 0; i < granules_; ++i)
      if (counts_[i] != 0) f(uint64_t{i} << kGranuleShift, uint64_t{counts_[i]});
  }

 private:
  uint32_t* counts_ = nullptr;
  uint64_t start_ = 0;
  size_t granules_ = 0;
};

}  // namespace rayos
