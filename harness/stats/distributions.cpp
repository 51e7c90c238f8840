#include "harness/stats/distributions.h"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace osh::stats {
namespace {

void check_probability(double p, const char* who) {
  if (!(p > 0 && p < 1))
    throw std::invalid_argument(std::string(who) + ": probability must be in (0, 1), got " +
                                std::to_string(p));
}

void check_df(int df) {
  if (df < 1) throw std::invalid_argument("Student t: degrees of freedom must be >= 1");
}

// Solves cdf(x) = p for an increasing cdf with density pdf, starting from x0. Newton steps
// that leave the current bracket become bisections, so it converges even from a poor start.
template <typename Cdf, typename Pdf>
double invert_cdf(Cdf cdf, Pdf pdf, double p, double x0) {
  // Bracket the root by doubling outwards from x0.
  double lo = x0, hi = x0;
  double step = 1;
  while (cdf(lo) > p) lo -= (step *= 2);
  step = 1;
  while (cdf(hi) < p) hi += (step *= 2);
  double x = x0;
  for (int i = 0; i < 200; ++i) {
    const double f = cdf(x) - p;
    if (f == 0) return x;
    (f < 0 ? lo : hi) = x;
    const double d = pdf(x);
    double next = d > 0 ? x - f / d : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::abs(next - x) <= 1e-15 * std::abs(x) + 1e-300) return next;
    x = next;
  }
  return x;
}

}  // namespace

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double normal_upper_tail(double z) { return 0.5 * std::erfc(z / std::numbers::sqrt2); }

double normal_quantile(double p) {
  check_probability(p, "normal_quantile");
  // Work in the lower half, where the CDF keeps full relative precision, and mirror.
  if (p > 0.5) return -normal_quantile(1 - p);
  const auto pdf = [](double z) {
    return std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi);
  };
  return invert_cdf(normal_cdf, pdf, p, -std::sqrt(-2 * std::log(p)) + 1);
}

double student_t_cdf(double t, int df) {
  check_df(df);
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  // A(t|df) = P(|T| <= |t|) as a finite series in cos(theta), theta = atan(|t| / sqrt(df)).
  const double theta = std::atan(std::abs(t) / std::sqrt(static_cast<double>(df)));
  const double c = std::cos(theta), s = std::sin(theta), c2 = c * c;
  double a;
  if (df % 2 == 1) {
    double sum = 0, term = c;
    for (int k = 1; 2 * k + 1 <= df; ++k) {  // c, 2/3 c^3, ..., up to c^(df-2)
      sum += term;
      term *= c2 * (2.0 * k) / (2.0 * k + 1);
    }
    a = 2 / std::numbers::pi * (theta + s * sum);
  } else {
    double sum = 0, term = 1;
    for (int k = 1; 2 * k <= df; ++k) {  // 1, 1/2 c^2, 1*3/(2*4) c^4, ..., up to c^(df-2)
      sum += term;
      term *= c2 * (2.0 * k - 1) / (2.0 * k);
    }
    a = s * sum;
  }
  return t >= 0 ? 0.5 + 0.5 * a : 0.5 - 0.5 * a;
}

double student_t_quantile(double p, int df) {
  check_probability(p, "student_t_quantile");
  check_df(df);
  if (p > 0.5) return -student_t_quantile(1 - p, df);
  const double v = df;
  const double log_norm =
      std::lgamma((v + 1) / 2) - std::lgamma(v / 2) - 0.5 * std::log(v * std::numbers::pi);
  const auto pdf = [&](double t) {
    return std::exp(log_norm - (v + 1) / 2 * std::log1p(t * t / v));
  };
  const auto cdf = [df](double t) { return student_t_cdf(t, df); };
  return invert_cdf(cdf, pdf, p, normal_quantile(p));
}

}  // namespace osh::stats
