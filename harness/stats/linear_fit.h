#pragma once
// Least-squares line through (x, y) points with the confidence interval of its slope, for trend
// checks such as memory growth in KiB/min: a soak run fails on a leak only when the slope is
// above the allowed one with confidence, not when noise tilts the line.
#include <span>

namespace osh::stats {

struct LineFit {
  size_t n = 0;
  double slope = 0;
  double intercept = 0;
  double slope_stderr = 0;  // standard error of the slope; needs n >= 3 and spread in x
  int df = 0;               // residual degrees of freedom, n - 2
};

// Throws std::invalid_argument when the spans differ in length, hold fewer than two points, or
// every x is the same (no slope exists).
LineFit fit_line(std::span<const double> x, std::span<const double> y);

struct SlopeInterval {
  double low = 0, high = 0;
};

// Two-sided interval of the slope at `confidence` (Student t with n - 2 degrees of freedom,
// assuming independent, equal-variance residuals). Throws std::invalid_argument with n < 3.
SlopeInterval slope_interval(const LineFit& fit, double confidence);

}  // namespace osh::stats
