#pragma once
// Percentiles of a small vector of values (per-run metrics, a few thousand samples at most).
// Large sample streams go into a Histogram instead.
#include <cstdint>
#include <vector>

namespace osh::stats {

// The p-th quantile (0 <= p <= 1) with linear interpolation between order statistics
// (Hyndman & Fan type 7, the default of R and NumPy): x[h] + (h - floor h)(x[h+1] - x[h]) with
// h = (n - 1) p. Takes its argument by value because it reorders it. Throws
// std::invalid_argument for an empty vector or p outside [0, 1].
double quantile(std::vector<double> values, double p);
double median(std::vector<double> values);

// The 1-based rank of the nearest-rank percentile (0 <= percent <= 100) among `count` values:
// the smallest r with r >= count * percent / 100, at least 1. Histogram::value_at_percentile
// uses it, and so do the tests that check it against sorted samples. A relative slack of
// 1e-12 keeps decimal percentages such as 99.9 from rounding up one rank.
uint64_t nearest_rank(double percent, uint64_t count);

}  // namespace osh::stats
