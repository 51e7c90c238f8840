#include "harness/campaign/reproduction.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace osh::campaign {
namespace {

using ::testing::HasSubstr;

RunResult ended(Verdict verdict, const std::string& signature, const std::string& reason) {
  RunResult r;
  r.verdict = verdict;
  r.signature = signature;
  r.reason = reason;
  return r;
}

ReproBundle crash_bundle() {
  ReproBundle b;
  b.verdict = Verdict::Crash;
  b.signature = "CRASH PAGE_FAULT f";
  return b;
}

TEST(Reproduction, CountsRunsWithTheSameVerdictAndSignature) {
  const std::vector<RunResult> runs = {
      ended(Verdict::Crash, "CRASH PAGE_FAULT f", "guest panic PAGE_FAULT in f+0x14 (rip=0x1)"),
      ended(Verdict::Pass, "PASS", "all checks passed"),
      ended(Verdict::Crash, "CRASH PAGE_FAULT f", "guest panic PAGE_FAULT in f+0x14 (rip=0x2)"),
      ended(Verdict::Crash, "CRASH PAGE_FAULT g", "guest panic PAGE_FAULT in g+0x3"),
      ended(Verdict::Pass, "PASS", "all checks passed"),
      ended(Verdict::Crash, "CRASH PAGE_FAULT f", "guest panic PAGE_FAULT in f+0x14 (rip=0x3)"),
  };
  const auto r = tally_reproduction(crash_bundle(), runs, false);
  EXPECT_EQ(r.runs, 6);
  EXPECT_EQ(r.ran, 6);
  EXPECT_EQ(r.reproduced, 3);
  EXPECT_FALSE(r.every_time());
  ASSERT_EQ(r.outcomes.size(), 3u);
  EXPECT_EQ(r.outcomes[0].runs, 3);  // most frequent first
  EXPECT_EQ(r.outcomes[1].signature, "PASS");
  EXPECT_EQ(r.outcomes[1].runs, 2);
  EXPECT_EQ(describe(r),
            "3 of 6 runs reproduced CRASH PAGE_FAULT f\n"
            "  2 x PASS: all checks passed\n"
            "  1 x CRASH PAGE_FAULT g: guest panic PAGE_FAULT in g+0x3\n");
  const auto j = to_json(r);
  EXPECT_EQ(j["reproduced"], 3);
  EXPECT_DOUBLE_EQ(j["rate"].get<double>(), 0.5);
}

TEST(Reproduction, ASameSignatureWithAnotherVerdictIsNotAReproduction) {
  const auto r = tally_reproduction(
      crash_bundle(), {ended(Verdict::Fail, "CRASH PAGE_FAULT f", "odd analyzer")}, false);
  EXPECT_EQ(r.reproduced, 0);
}

TEST(Reproduction, RerunsTheHostCouldNotRunCountNeitherWay) {
  const auto r =
      tally_reproduction(crash_bundle(),
                         {ended(Verdict::Crash, "CRASH PAGE_FAULT f", "panic"),
                          ended(Verdict::InfraError, "INFRA_ERROR qemu", "QEMU is missing")},
                         false);
  EXPECT_EQ(r.ran, 1);
  EXPECT_TRUE(r.every_time());
  EXPECT_THAT(describe(r),
              HasSubstr("1 of 1 runs reproduced CRASH PAGE_FAULT f (1 more could not run)"));
  const auto none = tally_reproduction(
      crash_bundle(), {ended(Verdict::InfraError, "INFRA_ERROR qemu", "QEMU is missing")}, false);
  EXPECT_EQ(none.ran, 0);
  EXPECT_FALSE(none.every_time());
  EXPECT_TRUE(to_json(none)["rate"].is_null());
}

}  // namespace
}  // namespace osh::campaign
