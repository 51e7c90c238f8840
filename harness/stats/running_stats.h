#pragma once
// Mean and variance of a stream in one pass and constant memory (Welford's update, which does
// not lose precision the way sum-of-squares does when the mean is large against the spread),
// mergeable across threads or runs (Chan, Golub & LeVeque).
#include <cstdint>
#include <limits>

namespace osh::stats {

class RunningStats {
 public:
  void add(double x);
  void merge(const RunningStats& other);

  uint64_t count() const { return n_; }
  double mean() const { return mean_; }  // 0 with no values
  // Sample variance (divides by n - 1); 0 with fewer than two values.
  double variance() const;
  double stddev() const;
  double min() const { return min_; }  // +inf with no values
  double max() const { return max_; }  // -inf with no values

 private:
  uint64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0;  // sum of squared deviations from the mean
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace osh::stats
