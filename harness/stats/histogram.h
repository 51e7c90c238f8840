#pragma once
// A log-linear histogram in the manner of HdrHistogram (Gil Tene): values are integers (pick
// the unit: us, ns, KiB), kept to `digits` significant decimal digits across the whole range,
// in memory fixed at construction. Recording is a handful of instructions (no allocation, no
// branch on the value except the rare clamp); histograms of the same layout merge by adding
// counts. docs/statistics.md has the layout and the error bound.
//
// (Debian 12 packages HdrHistogram for Go and Java only, so this is our own implementation.)
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace osh::stats {

struct HistogramConfig {
  uint64_t lowest = 1;               // resolution: values closer than this may share a bucket
  uint64_t highest = 3'600'000'000;  // larger values are recorded as `highest` and counted
  int digits = 3;                    // significant decimal digits, 1..5
  bool operator==(const HistogramConfig&) const = default;
};

// Every bucket holds the values [lowest, highest]; `index` is its position in the layout.
struct Bucket {
  size_t index = 0;
  uint64_t lowest = 0, highest = 0;
  uint64_t count = 0;
};

class Histogram {
 public:
  // Throws std::invalid_argument for digits outside 1..5, lowest < 1, highest < 2 * lowest,
  // or a range too wide for 64-bit values.
  explicit Histogram(const HistogramConfig& config = {});

  void record(uint64_t value) noexcept {
    if (value > config_.highest) [[unlikely]] {
      ++clamped_;
      value = config_.highest;
    }
    ++counts_[index_of(value)].n;
    ++total_;
    min_ = value < min_ ? value : min_;
    max_ = value > max_ ? value : max_;
  }
  void record(uint64_t value, uint64_t count) noexcept;

  // Adds `other`'s values. The same layout adds counts; another layout re-records each of its
  // buckets at its representative value (the error bounds then add up).
  void merge(const Histogram& other);

  uint64_t count() const { return total_; }
  uint64_t clamped() const { return clamped_; }       // values that were above `highest`
  uint64_t min() const { return total_ ? min_ : 0; }  // exact
  uint64_t max() const { return total_ ? max_ : 0; }  // exact (`highest` when clamped)

  // The nearest-rank percentile (0 <= percent <= 100; quantile.h nearest_rank), reported as
  // the middle of its bucket, within [min, max]; exact at the rank of min and max. 0 when
  // empty. Throws std::invalid_argument for a percent outside [0, 100].
  uint64_t value_at_percentile(double percent) const;

  // Visits the buckets that hold values, lowest first.
  void for_each_bucket(const std::function<void(const Bucket&)>& visit) const;

  const HistogramConfig& config() const { return config_; }
  size_t bucket_count() const { return counts_.size(); }
  size_t memory_bytes() const { return sizeof(*this) + counts_.size() * sizeof(Slot); }

  // Layout arithmetic, public for tests and for the serializer.
  size_t index_of(uint64_t value) const noexcept {
    // The mask is never 0, so the builtin (undefined for 0) needs no zero check, unlike
    // std::countl_zero: one branch less on the hottest path.
    const int bucket = 64 - __builtin_clzll(value | sub_bucket_mask_) - bucket_shift_;
    const auto sub = value >> (bucket + unit_magnitude_);
    return (static_cast<size_t>(bucket + 1) << half_magnitude_) + sub - half_count_;
  }
  uint64_t lowest_equivalent(size_t index) const;
  uint64_t highest_equivalent(size_t index) const;
  uint64_t representative(size_t index) const;  // the middle of the bucket

  // Replaces the contents with bucket counts (trailing empty buckets may be left out) and the
  // exact min, max and clamped count. Throws std::invalid_argument, saying which, when they
  // do not fit this layout or each other: the counts may come from an untrusted file.
  void restore(const std::vector<uint64_t>& counts, uint64_t min, uint64_t max, uint64_t clamped);

 private:
  void record_unclamped(uint64_t value, uint64_t count) noexcept;

  // A counter in its own type: through a plain uint64_t* the compiler must assume that every
  // increment may hit total_, min_ or max_ and reload them from memory, which doubles the cost
  // of record() in a loop.
  struct Slot {
    uint64_t n = 0;
  };

  HistogramConfig config_;
  int unit_magnitude_ = 0;  // floor(log2(lowest))
  int half_magnitude_ = 0;  // log2 of the sub-buckets in each half bucket
  uint64_t half_count_ = 0;
  uint64_t sub_bucket_mask_ = 0;
  int bucket_shift_ = 0;
  std::vector<Slot> counts_;
  uint64_t total_ = 0;
  uint64_t clamped_ = 0;
  uint64_t min_ = std::numeric_limits<uint64_t>::max();
  uint64_t max_ = 0;
};

}  // namespace osh::stats
