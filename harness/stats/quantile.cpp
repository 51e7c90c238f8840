#include "harness/stats/quantile.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace osh::stats {

double quantile(std::vector<double> values, double p) {
  if (values.empty()) throw std::invalid_argument("quantile of no values");
  if (!(p >= 0 && p <= 1)) throw std::invalid_argument("quantile: p must be in [0, 1]");
  const double h = static_cast<double>(values.size() - 1) * p;
  const auto lo = static_cast<size_t>(std::floor(h));
  std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(lo), values.end());
  const double below = values[lo];
  if (lo + 1 >= values.size()) return below;
  // The next order statistic is the smallest value right of the nth_element partition point.
  const double above =
      *std::min_element(values.begin() + static_cast<ptrdiff_t>(lo) + 1, values.end());
  return below + (h - static_cast<double>(lo)) * (above - below);
}

double median(std::vector<double> values) { return quantile(std::move(values), 0.5); }

uint64_t nearest_rank(double percent, uint64_t count) {
  const double exact = static_cast<double>(count) * percent / 100;
  const auto rank = static_cast<uint64_t>(std::ceil(exact - std::abs(exact) * 1e-12));
  return std::clamp<uint64_t>(rank, 1, std::max<uint64_t>(count, 1));
}

}  // namespace osh::stats
