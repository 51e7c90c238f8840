#pragma once
// The perf scenario's portable arithmetic (os/workloads/perf.cpp): sorting samples, the guest's
// own nearest-rank percentiles, microseconds with three decimals, and the comma-separated batches
// in which every raw sample goes to the harness (PERF:SAMPLES, docs/rayos.md "Perf").
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos::perf {

// Ascending, in place, O(n log n) without recursion or allocation (heapsort).
void sort(uint64_t* values, size_t n);

// The nearest-rank percentile of `sorted` (n > 0) at `per_mille` / 1000 (500 = p50, 999 =
// p99.9): the value at rank ceil(per_mille * n / 1000), at least rank 1. The same definition as
// the harness's histograms (harness/stats/quantile.h nearest_rank).
uint64_t nearest_rank(const uint64_t* sorted, size_t n, uint32_t per_mille);

// `ns` as microseconds with exactly three decimals ("12.345", "0.080"); returns the length.
// `out` needs kMaxUsChars bytes.
inline constexpr size_t kMaxUsChars = 24;
size_t format_us(uint64_t ns, char* out);

// Decimal values separated by commas, as long as they fit `kCapacity` characters: one marker
// field of a PERF:SAMPLES line (MarkerWriter::kCapacity minus the prefix, the operation, the
// index and the trailer).
class SampleBatch {
 public:
  static constexpr size_t kCapacity = 100;

  // False (and nothing added) when the value does not fit: print the batch, clear, add again.
  bool add(uint64_t value);
  void clear() { len_ = count_ = 0; }
  size_t count() const { return count_; }
  StringView view() const { return StringView(buf_, len_); }

 private:
  char buf_[kCapacity] = {};
  size_t len_ = 0;
  size_t count_ = 0;
};

}  // namespace rayos::perf
