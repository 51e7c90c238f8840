#include "harness/stats/distributions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace osh::stats {
namespace {

void expect_rel(double actual, double expected, double rel) {
  EXPECT_NEAR(actual, expected, std::abs(expected) * rel) << "expected " << expected;
}

TEST(NormalTest, QuantilesMatchPublishedTables) {
  expect_rel(normal_quantile(0.975), 1.959963984540054, 1e-13);
  expect_rel(normal_quantile(0.995), 2.5758293035489004, 1e-13);
  expect_rel(normal_quantile(0.9), 1.2815515655446004, 1e-13);
  expect_rel(normal_quantile(0.999), 3.090232306167813, 1e-13);
  expect_rel(normal_quantile(0.025), -1.959963984540054, 1e-13);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
}

TEST(NormalTest, QuantileInvertsTheCdfDeepIntoTheTails) {
  for (const double p : {1e-300, 1e-100, 1e-15, 1e-6, 0.01, 0.3, 0.5, 0.7, 0.99}) {
    const double z = normal_quantile(p);
    expect_rel(normal_cdf(z), p, 1e-12);
  }
  expect_rel(normal_upper_tail(8.0), 6.221e-16, 1e-4);  // no cancellation in the tail
}

TEST(NormalTest, RejectsProbabilitiesOutsideTheOpenInterval) {
  EXPECT_THROW(normal_quantile(0), std::invalid_argument);
  EXPECT_THROW(normal_quantile(1), std::invalid_argument);
  EXPECT_THROW(normal_quantile(std::nan("")), std::invalid_argument);
}

TEST(StudentTTest, QuantilesMatchPublishedTables) {
  // Two-sided 95%, 90% and 99% critical values, as printed in t tables to 9-10 digits.
  expect_rel(student_t_quantile(0.975, 1), 12.7062047362, 1e-10);
  expect_rel(student_t_quantile(0.975, 2), 4.3026527297, 1e-10);
  expect_rel(student_t_quantile(0.975, 3), 3.1824463053, 1e-10);
  expect_rel(student_t_quantile(0.975, 5), 2.5705818356, 1e-10);
  expect_rel(student_t_quantile(0.975, 10), 2.2281388520, 1e-10);
  expect_rel(student_t_quantile(0.975, 30), 2.0422724563, 1e-10);
  expect_rel(student_t_quantile(0.975, 120), 1.9799304051, 1e-10);
  expect_rel(student_t_quantile(0.95, 1), 6.3137515147, 1e-10);
  expect_rel(student_t_quantile(0.95, 20), 1.7247182429, 1e-10);
  expect_rel(student_t_quantile(0.995, 4), 4.6040948713, 1e-10);
  expect_rel(student_t_quantile(0.995, 10), 3.1692726726, 1e-10);
  expect_rel(student_t_quantile(0.025, 10), -2.2281388520, 1e-10);
}

TEST(StudentTTest, QuantilesMatchTheClosedFormsForOneAndTwoDegreesOfFreedom) {
  for (const double p : {0.001, 0.05, 0.2, 0.5, 0.6, 0.9, 0.999}) {
    EXPECT_NEAR(student_t_quantile(p, 1), std::tan(std::numbers::pi * (p - 0.5)), 1e-9);
    EXPECT_NEAR(student_t_quantile(p, 2), (2 * p - 1) / std::sqrt(2 * p * (1 - p)), 1e-9);
  }
}

TEST(StudentTTest, CdfMatchesTheClosedFormsForThreeAndFourDegreesOfFreedom) {
  for (const double t : {-5.0, -1.3, 0.0, 0.4, 2.0, 7.5}) {
    const double f3 =
        0.5 +
        (t / (std::sqrt(3.0) * (1 + t * t / 3)) + std::atan(t / std::sqrt(3.0))) / std::numbers::pi;
    const double u = t * t / 4;
    const double f4 = 0.5 + 3.0 / 8 * t / std::sqrt(1 + u) * (1 - u / (3 * (1 + u)));
    EXPECT_NEAR(student_t_cdf(t, 3), f3, 1e-14) << t;
    EXPECT_NEAR(student_t_cdf(t, 4), f4, 1e-14) << t;
  }
}

TEST(StudentTTest, ApproachesTheNormalForManyDegreesOfFreedom) {
  EXPECT_NEAR(student_t_quantile(0.975, 100000), 1.959963984540054, 1e-4);
  EXPECT_GT(student_t_quantile(0.975, 100000), 1.959963984540054);
}

TEST(StudentTTest, RejectsBadArguments) {
  EXPECT_THROW(student_t_cdf(1, 0), std::invalid_argument);
  EXPECT_THROW(student_t_quantile(0.5, 0), std::invalid_argument);
  EXPECT_THROW(student_t_quantile(1.5, 3), std::invalid_argument);
}

}  // namespace
}  // namespace osh::stats
