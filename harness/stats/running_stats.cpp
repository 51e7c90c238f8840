#include "harness/stats/running_stats.h"

#include <algorithm>

namespace osh::stats {

void RunningStats::add(double x) {
  ++n_;
  mean_ += (x - mean_) / static_cast<double>(n_);
  min_ = std::min(min_, x);
  max_ = std::max(max_, x);
}

}  // namespace osh::stats
