#pragma once
// Distribution-free two-sample comparisons: the Mann-Whitney U (Wilcoxon rank-sum) test and the
// Hodges-Lehmann estimate of the shift between two samples with its confidence interval. They
// assume only that the values within each sample are independent and identically distributed;
// no normality. docs/statistics.md explains why the gate uses them on per-run values.
#include <cstddef>
#include <span>

namespace osh::stats {

struct RankTest {
  double u = 0;        // Mann-Whitney U of `y`: pairs (x_i, y_j) with y_j > x_i, ties counting 1/2
  double p_value = 1;  // two-sided
  bool exact = false;  // from the exact permutation distribution (ties included), else normal
};

// Two-sided test of "x and y come from the same distribution" against a shift. Exact when
// x.size() + y.size() <= kExactRankTestMaxN; above that the normal approximation with tie and
// continuity corrections. Throws std::invalid_argument when either sample is empty or holds a
// value that is not finite (hodges_lehmann too).
RankTest mann_whitney(std::span<const double> x, std::span<const double> y);
inline constexpr size_t kExactRankTestMaxN = 60;

// The smallest two-sided p-value the test can reach with samples of these sizes (no ties):
// with fewer runs than this allows, no difference can ever be significant.
double min_two_sided_p(size_t n, size_t m);

struct ShiftInterval {
  double estimate = 0;  // Hodges-Lehmann: median of all pairwise differences y_j - x_i
  double low = 0, high = 0;
  double confidence = 0;  // achieved coverage (>= the requested one when bounded)
  bool bounded = false;   // false: too few values for an interval at this confidence
};

// The shift d such that y ~ x + d, with Moses' distribution-free confidence interval: the k-th
// smallest and largest pairwise differences, k from the exact null distribution of U (normal
// approximation above kExactRankTestMaxN values).
ShiftInterval hodges_lehmann(std::span<const double> x, std::span<const double> y,
                             double confidence);

}  // namespace osh::stats
