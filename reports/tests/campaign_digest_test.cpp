#include "reports/campaign_digest.h"

#include <gtest/gtest.h>

#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

using campaign::Verdict;

// A nightly of 200 runs over two specs with three planted failure kinds, each run's reason
// carrying its own addresses and times, the crash frames their own offsets, as real runs do.
campaign::CampaignOutcome nightly() {
  auto o = testing::many_runs(200, 0);
  for (auto& r : o.runs) {
    r.name = r.index % 2 ? "soak" : "fault";
    r.verdict = Verdict::Pass;
    r.signature = "PASS";
    r.reason = "all checks passed";
    r.crash.reset();
    r.metrics = {{"latency_us.p99", 100.0 + r.index}};
    r.criteria = {{"latency_us.p99 < 500", "latency_us.p99", 100.0 + r.index, 500, true}};
    const std::string at = std::to_string(0x1000 + r.index * 8);
    if (r.index % 10 == 3) {  // 20 null dereferences, from two call sites' offsets
      r.verdict = Verdict::Crash;
      r.reason = "guest panic PAGE_FAULT cr2=0x" + at + " at uptime " + std::to_string(r.index);
      r.signature = "CRASH PAGE_FAULT rayos_fault_null_dereference";
      r.crash = campaign::CrashInfo{
          "PAGE_FAULT",
          "cr2=0x" + at,
          {{0, 0xffffffff80101234 + r.index, "rayos_fault_null_dereference+0x1" + at},
           {1, 0xffffffff80100000, "scenario_fault+0x" + at},
           {2, 0xffffffff80100100, "kernel_main+0x22"}}};
      r.repro_bundle = "runs/" + std::to_string(r.index) + "/repro.json";
    } else if (r.index % 25 == 7) {  // 8 hangs
      r.verdict = Verdict::Hang;
      r.reason = "no output for " + std::to_string(10 + r.index % 3) + ".0 s";
      r.signature = "HANG idle";
    } else if (r.index % 50 == 11) {  // 4 lost markers
      r.verdict = Verdict::Fail;
      r.reason = std::to_string(r.index) + " markers lost";
      r.signature = "FAIL markers lost";
    }
  }
  return o;
}

TEST(FailureGroups, ThreePlantedKindsInTwoHundredRunsAreThreeGroups) {
  const auto o = nightly();
  const auto groups = failure_groups(o);
  ASSERT_EQ(groups.size(), 3u);
  // The largest first, each with every run, in order, and one way to reproduce.
  EXPECT_EQ(groups[0].signature, "CRASH PAGE_FAULT rayos_fault_null_dereference");
  EXPECT_EQ(groups[0].frames, (std::vector<std::string>{"rayos_fault_null_dereference",
                                                        "scenario_fault", "kernel_main"}));
  ASSERT_EQ(groups[0].runs.size(), 20u);
  EXPECT_EQ(groups[0].runs.front()->index, 3);
  EXPECT_EQ(groups[0].runs.back()->index, 193);
  EXPECT_EQ(groups[0].repro_command,
            "osharness repro " + (o.out_dir / "runs/3/repro.json").string());
  EXPECT_EQ(groups[1].signature, "HANG idle");
  EXPECT_EQ(groups[1].runs.size(), 8u);
  EXPECT_EQ(groups[1].repro_command, "");
  EXPECT_EQ(groups[2].signature, "FAIL markers lost");
  EXPECT_EQ(groups[2].runs.size(), 4u);
}

TEST(FailureGroups, OtherTopFramesAreAnotherGroup) {
  auto o = nightly();
  o.runs[13].crash->frames[1].symbol = "ipc_send+0x40";
  const auto groups = failure_groups(o);
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].runs.size(), 19u);
  EXPECT_EQ(groups[3].key,
            "CRASH PAGE_FAULT rayos_fault_null_dereference | rayos_fault_null_dereference < "
            "ipc_send < kernel_main");
}

TEST(SpecDigests, CountsAndTheSpreadOfEachSpecsKeyFigures) {
  const auto specs = spec_digests(nightly());
  ASSERT_EQ(specs.size(), 2u);
  const auto& fault = specs[0];  // run 0 is "fault": first seen, first listed
  EXPECT_EQ(fault.name, "fault");
  EXPECT_EQ(fault.runs, 100u);
  // Even indexes are fault's: of the planted kinds only the hangs at 32, 82, 132, 182.
  EXPECT_EQ(fault.passed, 96u);
  EXPECT_EQ(verdict_tally(fault.by_verdict), "96 PASS, 4 HANG");
  // Odd ones are soak's: the 20 crashes (3, 13, ..., 193), hangs at 7, 57, 107, 157 and the
  // lost markers at 11, 61, 111, 161.
  const auto& soak = specs[1];
  EXPECT_EQ(soak.runs, 100u);
  EXPECT_EQ(soak.passed, 72u);
  EXPECT_EQ(verdict_tally(soak.by_verdict), "72 PASS, 4 FAIL, 20 CRASH, 4 HANG");
  // latency_us.p99 of soak: 101, 103, ..., 299 (100 values): nearest-rank p50 = 199, p99 = 297.
  const auto& f = soak.figures.back();
  EXPECT_EQ(f.metric, "latency_us.p99");
  EXPECT_EQ(f.runs, 100u);
  EXPECT_EQ(f.p50, 199);
  EXPECT_EQ(f.p99, 297);
}

}  // namespace
}  // namespace osh::reports
