#include "harness/stats/running_stats.h"

#include <algorithm>
#include <cmath>

namespace osh::stats {

void RunningStats::add(double x) {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
  min_ = std::min(min_, x);
  max_ = std::max(max_, x);
}

void RunningStats::merge(const RunningStats& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double n = static_cast<double>(n_), m = static_cast<double>(other.n_);
  const double delta = other.mean_ - mean_;
  mean_ += delta * m / (n + m);
  m2_ += other.m2_ + delta * delta * n * m / (n + m);
  n_ += other.n_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double RunningStats::variance() const { return n_ < 2 ? 0 : m2_ / static_cast<double>(n_ - 1); }

double RunningStats::stddev() const { return std::sqrt(variance()); }

}  // namespace osh::stats
