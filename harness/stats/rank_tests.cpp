#include "harness/stats/rank_tests.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "harness/stats/distributions.h"

namespace osh::stats {
namespace {

// Values of equal rank: `size` of them sharing the doubled midrank `rank2` (an integer).
struct TieGroup {
  size_t size = 0;
  size_t rank2 = 0;
};

struct Ranked {
  std::vector<TieGroup> groups;
  size_t y_rank2_sum = 0;  // doubled rank sum of y
  double tie_term = 0;     // sum of t^3 - t over tie groups, for the normal approximation
};

Ranked rank(std::span<const double> x, std::span<const double> y) {
  std::vector<std::pair<double, bool>> all;  // value, is_y
  all.reserve(x.size() + y.size());
  for (const double v : x) all.emplace_back(v, false);
  for (const double v : y) all.emplace_back(v, true);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Ranked r;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    size_t ys = 0;
    while (j < all.size() && all[j].first == all[i].first) ys += all[j++].second;
    const size_t t = j - i;
    const size_t rank2 = 2 * i + t + 1;  // twice the mean of ranks i+1 .. j
    r.groups.push_back({t, rank2});
    r.y_rank2_sum += ys * rank2;
    r.tie_term += std::pow(static_cast<double>(t), 3) - static_cast<double>(t);
    i = j;
  }
  return r;
}

// Under the null hypothesis every choice of which `k` of the N values form one sample is
// equally likely. Returns the probability of each doubled rank sum of that sample, given the
// tie groups: a dynamic programme over the groups (c of a group of t are chosen in C(t, c)
// ways), updated in place from the largest count chosen down.
std::vector<double> rank_sum_pmf(const std::vector<TieGroup>& groups, size_t k) {
  size_t max_sum = 0;
  for (const auto& g : groups) max_sum += g.size * g.rank2;
  const size_t width = max_sum + 1;
  std::vector<double> ways((k + 1) * width, 0.0);
  ways[0] = 1;
  size_t reach = 0, seen = 0;  // largest sum reachable so far; values seen so far
  for (const auto& g : groups) {
    reach += std::min(g.size, k) * g.rank2;
    seen += g.size;
    for (size_t j = std::min(k, seen); j >= 1; --j) {
      double* row = &ways[j * width];
      double choose = 1;  // C(t, c)
      for (size_t c = 1; c <= std::min(g.size, j); ++c) {
        choose = choose * static_cast<double>(g.size - c + 1) / static_cast<double>(c);
        const double* from = &ways[(j - c) * width];
        const size_t offset = c * g.rank2;
        for (size_t s = reach; s >= offset; --s) row[s] += from[s - offset] * choose;
      }
    }
  }
  std::vector<double> pmf(ways.begin() + static_cast<ptrdiff_t>(k * width), ways.end());
  double total = 0;
  for (const double w : pmf) total += w;
  for (double& w : pmf) w /= total;
  return pmf;
}

// P(U = u) for u = 0 .. n*m without ties: the coefficients of the Gaussian binomial
// [n+m choose n]_q = prod_{i=1..k} (1 - q^(N-k+i)) / (1 - q^i), normalised. Each factor is a
// pass over the polynomial, so the cost is k * n * m instead of the general programme's. The
// low coefficients never see a cancellation (they are partition counts, exact in doubles), so
// callers read tails from the low end.
std::vector<double> u_pmf(size_t n, size_t m) {
  const size_t k = std::min(n, m), big = n + m - k, degree = n * m;
  std::vector<double> p(degree + 1, 0.0);
  p[0] = 1;
  for (size_t i = 1; i <= k; ++i) {
    const size_t a = big + i;  // multiply by (1 - q^a)
    for (size_t u = degree; u >= a; --u) p[u] -= p[u - a];
    for (size_t u = i; u <= degree; ++u) p[u] += p[u - i];  // divide by (1 - q^i)
  }
  double total = 0;
  for (const double w : p) total += w;
  for (double& w : p) w /= total;
  return p;
}

// The k-th smallest of the n*m differences y_j - x_i without listing them (a campaign of
// thousands of runs a side would need gigabytes): bisection over the doubles, each step
// counting the differences <= t in one merge-like pass over the sorted samples.
class PairwiseDifferences {
 public:
  PairwiseDifferences(std::span<const double> x, std::span<const double> y)
      : x_(x.begin(), x.end()), y_(y.begin(), y.end()) {
    std::sort(x_.begin(), x_.end());
    std::sort(y_.begin(), y_.end());
  }

  // 1 <= k <= n*m.
  double kth(size_t k) const {
    // Doubles ordered as integers, so that bisection ends on adjacent values: the answer is
    // the smallest t with count(t) >= k, itself one of the differences.
    int64_t lo = ordered(y_.front() - x_.back()) - 1, hi = ordered(y_.back() - x_.front());
    // The gap in unsigned arithmetic: it may exceed INT64_MAX when the differences span signs.
    for (uint64_t gap; (gap = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo)) > 1;) {
      const int64_t mid = lo + static_cast<int64_t>(gap / 2);
      (count_at_most(from_ordered(mid)) >= k ? hi : lo) = mid;
    }
    return from_ordered(hi);
  }

 private:
  // Differences y_j - x_i <= t. For a fixed j they grow as i falls, and the first i that
  // qualifies only moves right as j grows.
  size_t count_at_most(double t) const {
    size_t count = 0, i = 0;
    for (const double yj : y_) {
      while (i < x_.size() && yj - x_[i] > t) ++i;
      count += x_.size() - i;
    }
    return count;
  }
  static int64_t ordered(double v) {
    const auto bits = std::bit_cast<int64_t>(v == 0 ? 0.0 : v);  // -0 and +0 alike
    return bits < 0 ? std::numeric_limits<int64_t>::min() - bits : bits;
  }
  static double from_ordered(int64_t o) {
    return std::bit_cast<double>(o < 0 ? std::numeric_limits<int64_t>::min() - o : o);
  }

  std::vector<double> x_, y_;
};

void check_samples(std::span<const double> x, std::span<const double> y) {
  if (x.empty() || y.empty()) throw std::invalid_argument("rank test: both samples need values");
  const auto finite = [](double v) { return std::isfinite(v); };
  if (!std::all_of(x.begin(), x.end(), finite) || !std::all_of(y.begin(), y.end(), finite))
    throw std::invalid_argument("rank test: every value must be finite");
}

}  // namespace

RankTest mann_whitney(std::span<const double> x, std::span<const double> y) {
  check_samples(x, y);
  const double n = static_cast<double>(x.size()), m = static_cast<double>(y.size());
  const auto r = rank(x, y);
  RankTest out;
  out.u = static_cast<double>(r.y_rank2_sum) / 2 - m * (m + 1) / 2;
  const size_t total = x.size() + y.size();
  if (total <= kExactRankTestMaxN) {
    double below = 0, above = 0;
    if (r.groups.size() == total) {
      // No ties: U is an integer with the Gaussian-binomial distribution, symmetric about
      // n*m/2; its lower tail is summed from the small, exactly computed coefficients.
      const auto pmf = u_pmf(x.size(), y.size());
      const auto u = static_cast<size_t>(out.u);
      const size_t tail = std::min(u, x.size() * y.size() - u);
      for (size_t v = 0; v <= tail; ++v) below += pmf[v];
      above = below;
    } else {
      // The rank sum of the smaller sample has the smaller table; the p-value is the same.
      const bool y_smaller = y.size() <= x.size();
      const size_t k = y_smaller ? y.size() : x.size();
      const size_t observed = y_smaller ? r.y_rank2_sum : total * (total + 1) - r.y_rank2_sum;
      const auto pmf = rank_sum_pmf(r.groups, k);
      for (size_t s = 0; s < pmf.size(); ++s) {
        if (s <= observed) below += pmf[s];
        if (s >= observed) above += pmf[s];
      }
    }
    out.p_value = std::min(1.0, 2 * std::min(below, above));
    out.exact = true;
    return out;
  }
  const double N = n + m;
  const double variance = n * m / 12 * ((N + 1) - r.tie_term / (N * (N - 1)));
  if (variance <= 0) return out;  // every value tied: no evidence of any shift
  const double z = std::max(0.0, std::abs(out.u - n * m / 2) - 0.5) / std::sqrt(variance);
  out.p_value = std::min(1.0, 2 * normal_upper_tail(z));
  return out;
}

double min_two_sided_p(size_t n, size_t m) {
  // 2 / C(n+m, n), the probability of the most extreme arrangement on either side.
  double combinations = 1;
  for (size_t i = 1; i <= std::min(n, m); ++i)
    combinations =
        combinations * static_cast<double>(n + m - std::min(n, m) + i) / static_cast<double>(i);
  return std::min(1.0, 2 / combinations);
}

ShiftInterval hodges_lehmann(std::span<const double> x, std::span<const double> y,
                             double confidence) {
  check_samples(x, y);
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("hodges_lehmann: confidence must be in (0, 1)");
  const size_t n = x.size(), m = y.size(), pairs = n * m;
  const PairwiseDifferences d(x, y);

  ShiftInterval out;
  out.estimate = pairs % 2 ? d.kth(pairs / 2 + 1) : 0.5 * (d.kth(pairs / 2) + d.kth(pairs / 2 + 1));
  const double alpha = 1 - confidence;
  // k: the interval [d_(k), d_(pairs-k+1)] covers the shift with probability 1 - 2 P(U <= k-1).
  size_t k = 0;
  if (n + m <= kExactRankTestMaxN) {
    const auto pmf = u_pmf(n, m);
    std::vector<double> cdf(pmf.size());
    std::partial_sum(pmf.begin(), pmf.end(), cdf.begin());
    // Largest k with P(U <= k-1) <= alpha/2; the slack lets a level that is reached exactly
    // (0.1 at 80%) count despite rounding in 1 - confidence.
    while (k < pairs / 2 && cdf[k] <= alpha / 2 * (1 + 1e-9)) ++k;
    if (k > 0) out.confidence = 1 - 2 * cdf[k - 1];
  } else {
    const double nm = static_cast<double>(pairs);
    const double half_width =
        normal_quantile(1 - alpha / 2) * std::sqrt(nm * static_cast<double>(n + m + 1) / 12);
    const double kk = std::floor(nm / 2 - half_width);
    k = kk >= 1 ? static_cast<size_t>(kk) : 0;
    out.confidence = confidence;
  }
  if (k == 0) {
    out.confidence = 0;
    out.low = -HUGE_VAL;
    out.high = HUGE_VAL;
    return out;
  }
  out.bounded = true;
  out.low = d.kth(k);
  out.high = d.kth(pairs - k + 1);
  return out;
}

}  // namespace osh::stats
