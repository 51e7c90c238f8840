#pragma once
// Mean, minimum and maximum of a stream in one pass and constant memory. The mean is updated
// by the difference to the current mean (Welford), not kept as a sum, so it keeps its digits
// when the values are large against their spread.
#include <cstdint>
#include <limits>

namespace osh::stats {

class RunningStats {
 public:
  void add(double x);

  double mean() const { return mean_; }  // 0 with no values
  double min() const { return min_; }    // +inf with no values
  double max() const { return max_; }    // -inf with no values

 private:
  uint64_t n_ = 0;
  double mean_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace osh::stats
