#include "harness/campaign/verdict.h"

#include <gtest/gtest.h>

#include "harness/campaign/judge.h"
#include "harness/campaign/spec.h"
#include "harness/vm/qemu/qemu_backend.h"

namespace osh::campaign {
namespace {

TEST(Verdict, ExitCodesAreTheDocumentedOnes) {
  EXPECT_EQ(exit_code(Verdict::Pass), 0);
  EXPECT_EQ(exit_code(Verdict::Fail), 1);
  EXPECT_EQ(exit_code(Verdict::Crash), 2);
  EXPECT_EQ(exit_code(Verdict::Hang), 3);
  EXPECT_EQ(exit_code(Verdict::Timeout), 4);
  EXPECT_EQ(exit_code(Verdict::Flaky), 5);
  EXPECT_EQ(exit_code(Verdict::InfraError), 69);
}

TEST(Verdict, NamesRoundTrip) {
  for (const auto v : {Verdict::Pass, Verdict::Fail, Verdict::Crash, Verdict::Hang,
                       Verdict::Timeout, Verdict::InfraError, Verdict::Flaky})
    EXPECT_EQ(verdict_from_string(to_string(v)), v);
  EXPECT_FALSE(verdict_from_string("pass"));
}

TEST(Verdict, WorstOrdersProductFailuresAboveInfrastructure) {
  EXPECT_EQ(worst(Verdict::Pass, Verdict::Flaky), Verdict::Flaky);
  EXPECT_EQ(worst(Verdict::Flaky, Verdict::InfraError), Verdict::InfraError);
  EXPECT_EQ(worst(Verdict::InfraError, Verdict::Fail), Verdict::Fail);
  EXPECT_EQ(worst(Verdict::Fail, Verdict::Timeout), Verdict::Timeout);
  EXPECT_EQ(worst(Verdict::Timeout, Verdict::Hang), Verdict::Hang);
  EXPECT_EQ(worst(Verdict::Crash, Verdict::Hang), Verdict::Crash);
}

TEST(DecideVerdict, TheWorstFindingGivesVerdictReasonAndSignature) {
  RunResult r;
  decide_verdict(r);
  EXPECT_EQ(r.verdict, Verdict::Pass);
  EXPECT_EQ(r.signature, "PASS");

  r.findings = {{Verdict::Fail, "3 malformed", "FAIL markers-malformed"},
                {Verdict::Crash, "guest panic PAGE_FAULT", "CRASH PAGE_FAULT f"},
                {Verdict::Fail, "exit code 125", "FAIL exit-code 125"},
                {Verdict::Crash, "second crash", "CRASH other"}};
  decide_verdict(r);
  EXPECT_EQ(r.verdict, Verdict::Crash);
  EXPECT_EQ(r.reason, "guest panic PAGE_FAULT");
  EXPECT_EQ(r.signature, "CRASH PAGE_FAULT f");
  // Every finding is kept, worst first, in recorded order within a verdict.
  ASSERT_EQ(r.findings.size(), 4u);
  EXPECT_EQ(r.findings[1].reason, "second crash");
  EXPECT_EQ(r.findings[2].reason, "3 malformed");
}

Spec spec_with_criterion_and_target() {
  const auto json = nlohmann::json::parse(R"({
    "name": "t", "guest": {"kernel": "/k.elf"}, "scenario": "hello",
    "criteria": ["markers.lost == 0"], "targets": ["boot_ms <= 50"]})");
  Plugins plugins;
  plugins.backends.push_back(vm::qemu::qemu_backend());
  return parse_spec(json, "t.json", "/", {plugins, "/bin", 1.0});
}

TEST(EvaluateCriteria, AMissedTargetFailsUnderKvm) {
  RunResult r;
  r.accel = "kvm";
  r.metrics = {{"markers.lost", 0}, {"boot_ms", 80}};
  evaluate_criteria(spec_with_criterion_and_target(), r);
  decide_verdict(r);
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_EQ(r.reason, "target boot_ms <= 50 failed: boot_ms = 80");
  ASSERT_EQ(r.criteria.size(), 2u);
  EXPECT_TRUE(r.criteria[1].gating);
}

TEST(EvaluateCriteria, AMissedTargetUnderTcgIsReportedNotGating) {
  RunResult r;
  r.accel = "tcg";
  r.metrics = {{"markers.lost", 0}, {"boot_ms", 80}};
  evaluate_criteria(spec_with_criterion_and_target(), r);
  decide_verdict(r);
  EXPECT_EQ(r.verdict, Verdict::Pass);
  EXPECT_EQ(r.reason,
            "all checks passed; missed under TCG, not gating: boot_ms = 80 (target boot_ms <= 50)");
  ASSERT_EQ(r.criteria.size(), 2u);
  EXPECT_FALSE(r.criteria[1].passed);
  EXPECT_FALSE(r.criteria[1].gating);
}

TEST(EvaluateCriteria, CriteriaGateUnderTcgToo) {
  RunResult r;
  r.accel = "tcg";
  r.metrics = {{"markers.lost", 3}, {"boot_ms", 20}};
  evaluate_criteria(spec_with_criterion_and_target(), r);
  decide_verdict(r);
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_EQ(r.reason, "criterion markers.lost == 0 failed: markers.lost = 3");
}

}  // namespace
}  // namespace osh::campaign
