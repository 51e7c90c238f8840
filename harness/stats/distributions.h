#pragma once
// The normal and Student t distributions, for p-values and confidence intervals. Built from
// exact methods only: the normal CDF from std::erfc, the t CDF for integer degrees of freedom
// from its finite closed-form series (Abramowitz & Stegun 26.7.3-4), and each quantile by
// solving CDF(x) = p to double precision (safeguarded Newton). No fitted approximations.
namespace osh::stats {

// P(Z <= z) and P(Z > z) for a standard normal Z; the upper tail is computed directly so that
// small tail probabilities keep their relative precision.
double normal_cdf(double z);
double normal_upper_tail(double z);
// z such that normal_cdf(z) = p, for 0 < p < 1 (std::invalid_argument otherwise).
double normal_quantile(double p);

// P(T <= t) for Student's t with `df` >= 1 degrees of freedom (std::invalid_argument otherwise).
double student_t_cdf(double t, int df);
// t such that student_t_cdf(t, df) = p, for 0 < p < 1.
double student_t_quantile(double p, int df);

}  // namespace osh::stats
