#include "harness/stats/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

#include "harness/stats/quantile.h"

namespace osh::stats {
namespace {

int floor_log2(uint64_t v) { return 63 - std::countl_zero(v); }

}  // namespace

Histogram::Histogram(const HistogramConfig& config) : config_(config) {
  if (config.digits < 1 || config.digits > 5)
    throw std::invalid_argument("histogram digits must be 1..5, got " +
                                std::to_string(config.digits));
  if (config.lowest < 1) throw std::invalid_argument("histogram lowest must be >= 1");
  if (config.highest / 2 < config.lowest)
    throw std::invalid_argument("histogram highest must be >= 2 * lowest");
  // 2 * 10^digits sub-buckets per bucket, rounded up to a power of two, keep every value to
  // `digits` significant digits: a bucket's width is at most 1 / half_count of its values.
  uint64_t two_power_digits = 2;
  for (int i = 0; i < config.digits; ++i) two_power_digits *= 10;
  const int sub_magnitude = floor_log2(two_power_digits - 1) + 1;
  unit_magnitude_ = floor_log2(config.lowest);
  half_magnitude_ = sub_magnitude - 1;
  if (unit_magnitude_ + sub_magnitude > 62)
    throw std::invalid_argument("histogram lowest is too large for " +
                                std::to_string(config.digits) + " digits");
  if (config.highest > (uint64_t{1} << 62))
    throw std::invalid_argument("histogram highest must be <= 2^62");
  half_count_ = uint64_t{1} << half_magnitude_;
  sub_bucket_mask_ = ((uint64_t{1} << sub_magnitude) - 1) << unit_magnitude_;
  bucket_shift_ = unit_magnitude_ + half_magnitude_ + 1;
  // Buckets double in width until the first value no bucket can hold is above `highest`.
  uint64_t smallest_untrackable = uint64_t{1} << (sub_magnitude + unit_magnitude_);
  size_t buckets = 1;
  while (smallest_untrackable <= config.highest) {
    smallest_untrackable <<= 1;
    ++buckets;
  }
  counts_.assign((buckets + 1) * half_count_, Slot{});
}

void Histogram::record_unclamped(uint64_t value, uint64_t count) noexcept {
  counts_[index_of(value)].n += count;
  total_ += count;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::record(uint64_t value, uint64_t count) noexcept {
  if (count == 0) return;
  if (value > config_.highest) {
    clamped_ += count;
    value = config_.highest;
  }
  record_unclamped(value, count);
}

void Histogram::merge(const Histogram& other) {
  if (other.total_ == 0) return;
  if (other.config_ == config_) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i].n += other.counts_[i].n;
    total_ += other.total_;
    clamped_ += other.clamped_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
    return;
  }
  // Another layout: re-record each bucket at its representative, kept inside other's exact
  // [min, max] so that the merged min and max stay exact.
  uint64_t above = 0;  // values above our range
  other.for_each_bucket([&](const Bucket& b) {
    const uint64_t v = std::clamp(other.representative(b.index), other.min_, other.max_);
    if (v > config_.highest) above += b.count;
    record_unclamped(std::min(v, config_.highest), b.count);
  });
  // other's clamped values are its largest, so when any value is above our range they are
  // among `above`; counting both would count them twice.
  clamped_ += std::max(above, other.clamped_);
}

uint64_t Histogram::lowest_equivalent(size_t index) const {
  int bucket = static_cast<int>(index >> half_magnitude_) - 1;
  uint64_t sub = (index & (half_count_ - 1)) + half_count_;
  if (bucket < 0) {
    sub -= half_count_;
    bucket = 0;
  }
  return sub << (bucket + unit_magnitude_);
}

uint64_t Histogram::highest_equivalent(size_t index) const {
  const int bucket = std::max(0, static_cast<int>(index >> half_magnitude_) - 1);
  return lowest_equivalent(index) + (uint64_t{1} << (bucket + unit_magnitude_)) - 1;
}

uint64_t Histogram::representative(size_t index) const {
  const uint64_t lo = lowest_equivalent(index);
  return lo + (highest_equivalent(index) - lo + 1) / 2;
}

uint64_t Histogram::value_at_percentile(double percent) const {
  if (!(percent >= 0 && percent <= 100))
    throw std::invalid_argument("percentile must be in [0, 100], got " + std::to_string(percent));
  if (total_ == 0) return 0;
  const uint64_t rank = nearest_rank(percent, total_);
  if (rank == 1) return min_;
  if (rank == total_) return max_;
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i].n;
    if (seen >= rank) return std::clamp(representative(i), min_, max_);
  }
  return max_;
}

void Histogram::for_each_bucket(const std::function<void(const Bucket&)>& visit) const {
  for (size_t i = 0; i < counts_.size(); ++i)
    if (counts_[i].n) visit({i, lowest_equivalent(i), highest_equivalent(i), counts_[i].n});
}

void Histogram::restore(const std::vector<uint64_t>& counts, uint64_t min, uint64_t max,
                        uint64_t clamped) {
  if (counts.size() > counts_.size())
    throw std::invalid_argument(std::to_string(counts.size()) + " buckets, but this layout has " +
                                std::to_string(counts_.size()));
  uint64_t total = 0;
  size_t first = counts.size(), last = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (!counts[i]) continue;
    if (total > std::numeric_limits<uint64_t>::max() - counts[i])
      throw std::invalid_argument("the counts add up to more than 2^64");
    total += counts[i];
    first = std::min(first, i);
    last = i;
  }
  if (clamped > total)
    throw std::invalid_argument("clamped " + std::to_string(clamped) + " is more than the " +
                                std::to_string(total) + " values");
  if (total > 0) {
    if (min > max || max > config_.highest)
      throw std::invalid_argument("min " + std::to_string(min) + " and max " + std::to_string(max) +
                                  " do not fit the range");
    if (index_of(min) != first || index_of(max) != last)
      throw std::invalid_argument("min " + std::to_string(min) + " or max " + std::to_string(max) +
                                  " is not in the first or last bucket that holds values");
    if (clamped > 0 && max != config_.highest)
      throw std::invalid_argument("clamped values but max is not the highest trackable value");
  }
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i].n = i < counts.size() ? counts[i] : 0;
  total_ = total;
  min_ = total ? min : std::numeric_limits<uint64_t>::max();
  max_ = total ? max : 0;
  clamped_ = clamped;
}

}  // namespace osh::stats
