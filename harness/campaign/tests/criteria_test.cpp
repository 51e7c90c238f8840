#include "harness/campaign/criteria.h"

#include <gtest/gtest.h>

#include <cmath>

#include "harness/base/errors.h"
#include "harness/campaign/analyzer.h"
#include "harness/campaign/starvation.h"

namespace osh::campaign {
namespace {

TEST(ParseCriterion, ReadsMetricOperatorAndBound) {
  const auto c = parse_criterion("  latency_us.p99 <= 100000 ", "spec.json: criteria[0]");
  EXPECT_EQ(c.metric, "latency_us.p99");
  EXPECT_EQ(c.op, CompareOp::LessEqual);
  EXPECT_EQ(c.bound, 100000);
  EXPECT_EQ(c.text, "latency_us.p99 <= 100000");
}

TEST(ParseCriterion, ReadsEveryOperator) {
  EXPECT_EQ(parse_criterion("a < 1", "x").op, CompareOp::Less);
  EXPECT_EQ(parse_criterion("a<=1", "x").op, CompareOp::LessEqual);
  EXPECT_EQ(parse_criterion("a > 1", "x").op, CompareOp::Greater);
  EXPECT_EQ(parse_criterion("a >= -1.5", "x").bound, -1.5);
  EXPECT_EQ(parse_criterion("a == 0", "x").op, CompareOp::Equal);
  EXPECT_EQ(parse_criterion("a != 0", "x").op, CompareOp::NotEqual);
}

TEST(ParseCriterion, RejectsMalformedTextNamingWhereAndWhat) {
  const auto message = [](const char* text) {
    try {
      parse_criterion(text, "specs/a.json: criteria[2]");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  {
    const auto m = message("fps.min >= fast");
    EXPECT_NE(m.find("specs/a.json: criteria[2]"), std::string::npos) << m;
    EXPECT_NE(m.find("\"fast\" is not a finite number"), std::string::npos) << m;
  }
  EXPECT_NE(message("fps.min 58").find("missing comparison operator"), std::string::npos);
  EXPECT_NE(message(">= 58").find("must start with a metric name"), std::string::npos);
  EXPECT_NE(message("fps..min >= 58").find("bad metric name"), std::string::npos);
  EXPECT_NE(message("Fps >= 58").find("must start with a metric name"), std::string::npos);
  EXPECT_NE(message("fps >= 58 extra").find("not a finite number"), std::string::npos);
  EXPECT_NE(message("fps >= inf").find("not a finite number"), std::string::npos);
}

TEST(EvaluateCriterion, ComparesTheMeasuredValue) {
  const std::map<std::string, double> metrics = {{"boot_ms", 41.5}, {"markers.lost", 0}};
  EXPECT_TRUE(evaluate(parse_criterion("boot_ms <= 50", "x"), metrics).passed);
  const auto failed = evaluate(parse_criterion("boot_ms < 40", "x"), metrics);
  EXPECT_FALSE(failed.passed);
  ASSERT_TRUE(failed.value.has_value());
  EXPECT_EQ(*failed.value, 41.5);
  EXPECT_TRUE(evaluate(parse_criterion("markers.lost == 0", "x"), metrics).passed);
}

TEST(EvaluateCriterion, AnUnmeasuredMetricFailsInsteadOfPassing) {
  const auto r = evaluate(parse_criterion("fps.min >= 58", "x"), {});
  EXPECT_FALSE(r.passed);
  EXPECT_FALSE(r.value.has_value());
  const auto nan = evaluate(parse_criterion("x != 1", "x"), {{"x", std::nan("")}});
  EXPECT_FALSE(nan.passed);
}

// 300 ms of wall time of which QEMU waited 120 ms for a host CPU: 180 ms of running.
TEST(LessStarvation, TakesTheWaitOffTheWallTime) {
  EXPECT_DOUBLE_EQ(less_starvation_ms(300'000'000, 120'000'000), 180.0);
  EXPECT_DOUBLE_EQ(less_starvation_ms(300'000'000, 0), 300.0);
  EXPECT_DOUBLE_EQ(less_starvation_ms(1'500'000, 250'000), 1.25);
}

// The run delay is sampled by another clock than the wall time: a wait a tick longer than the
// interval is no negative duration.
TEST(LessStarvation, IsNeverNegative) {
  EXPECT_DOUBLE_EQ(less_starvation_ms(100'000'000, 100'004'000), 0.0);
}

TEST(ClockOf, ALessStarvationMemberOfAWallTimeFamilyIsCorrected) {
  const MetricInfo family{"faults.*", "ms", MetricInfo::Better::Lower, "",
                          MetricInfo::Clock::HostWall};
  EXPECT_EQ(clock_of(family, "faults.link.detect_ms.max"), MetricInfo::Clock::HostWall);
  EXPECT_EQ(clock_of(family, "faults.link.detect_ms_less_starvation.max"),
            MetricInfo::Clock::HostLessStarvation);
  const MetricInfo guest{"latency_us.*", "us", MetricInfo::Better::Lower, "",
                         MetricInfo::Clock::Guest};
  EXPECT_EQ(clock_of(guest, "latency_us.x_less_starvation"), MetricInfo::Clock::Guest);
}

// Every time metric every run has says which clock measured it.
TEST(BaseMetrics, EveryTimeMetricNamesItsClock) {
  for (const auto& m : base_metrics()) {
    if (m.unit == "ms") {
      EXPECT_NE(m.clock, MetricInfo::Clock::NotTime) << m.name;
    }
  }
}

}  // namespace
}  // namespace osh::campaign
