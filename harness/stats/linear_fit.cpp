#include "harness/stats/linear_fit.h"

#include <cmath>
#include <stdexcept>

#include "harness/stats/distributions.h"

namespace osh::stats {
namespace {

void check_confidence(double confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("slope confidence must be in (0, 1)");
}

}  // namespace

LineFit fit_line(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) throw std::invalid_argument("fit_line: x and y differ in length");
  if (x.size() < 2) throw std::invalid_argument("fit_line: needs at least two points");
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  // Centred sums: raw sums of squares cancel catastrophically for timestamps far from 0.
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (sxx == 0) throw std::invalid_argument("fit_line: every x is the same");
  LineFit fit;
  fit.n = x.size();
  fit.slope = sxy / sxx;
  fit.intercept = my - fit.slope * mx;
  fit.df = static_cast<int>(x.size()) - 2;
  if (fit.df > 0) {
    double sse = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      const double r = y[i] - (fit.intercept + fit.slope * x[i]);
      sse += r * r;
    }
    fit.slope_stderr = std::sqrt(sse / fit.df / sxx);
  }
  return fit;
}

SlopeInterval slope_interval(const LineFit& fit, double confidence) {
  check_confidence(confidence);
  if (fit.df < 1) throw std::invalid_argument("slope_interval: needs at least three points");
  const double half = student_t_quantile(0.5 + confidence / 2, fit.df) * fit.slope_stderr;
  return {fit.slope - half, fit.slope + half};
}

}  // namespace osh::stats
