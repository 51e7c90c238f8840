// The timeline hook over synthetic INTEGRATION markers, parsed with the real rayos schema (seq and
// CRC relaxed): what it FAILs, what it keeps for the report, and the Timelines panel.
#include "e2e/timeline_hook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/plugin.h"
#include "e2e/timeline_panel.h"
#include "harness/analysis/testing.h"
#include "harness/campaign/campaign.h"
#include "harness/campaign/judge.h"

namespace osh::e2e {
namespace {

using ::testing::HasSubstr;

const marker::Schema& rayos_schema() { return analysis::testing::relaxed_schema(OSH_RAYOS_SCHEMA); }

// The timeline hook over `console`, adding to `r`.
campaign::RunResult run(const std::string& timeline_json, const std::string& console,
                        campaign::RunResult r = {}) {
  campaign::Plugins plugins;
  register_plugin(plugins);
  const campaign::RunHookInfo* info = plugins.run_hook("timeline");
  EXPECT_NE(info, nullptr);
  auto config = info->parse(nlohmann::json::parse(timeline_json), "t.json", 1.0);
  auto hook = info->make(*config, campaign::HookSetup{});
  marker::MarkerStream stream(rayos_schema());
  stream.add_observer(hook.get());
  stream.feed(console, 1);
  stream.finish(2);
  EXPECT_EQ(stream.counts().malformed, 0u);
  r.name = "clip-s1";
  hook->finish(r);
  campaign::decide_verdict(r);
  return r;
}

const std::string kGood =
    "RAYOS_INTEGRATION:SCENARIO_START:clipboard_stress:1000000\n"
    "RAYOS_INTEGRATION:MILESTONE:copied:1002000\n"
    "RAYOS_INTEGRATION:VERIFY:items_intact:pass:64_of_64:1003000\n"
    "RAYOS_INTEGRATION:MILESTONE:pasted:1004500\n"
    "RAYOS_INTEGRATION:SCENARIO_COMPLETE:clipboard_stress:pass:1005000\n";

TEST(TimelineHook, PassesAGoodRunAndKeepsItsTimelineInGuestTimeFromTheStart) {
  const auto r = run(
      R"({"milestones": ["copied", "pasted"], "rules": ["pasted within 3 ms of copied"]})", kGood);
  EXPECT_EQ(r.verdict, campaign::Verdict::Pass) << r.reason;
  const auto& t = r.analysis.at("timeline");
  EXPECT_EQ(t["scenario"], "clipboard_stress");
  ASSERT_EQ(t["events"].size(), 4u);
  EXPECT_EQ(t["events"][1]["name"], "copied");
  EXPECT_DOUBLE_EQ(t["events"][1]["t_ms"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(t["events"][3]["t_ms"].get<double>(), 5.0);
  EXPECT_EQ(t["verifies"][0]["detail"], "64_of_64");
  EXPECT_EQ(r.metrics.at("timeline.violations"), 0);
  ASSERT_TRUE(r.analysis.contains("charts"));
  EXPECT_EQ(r.analysis["charts"][0]["id"], "timeline");
}

TEST(TimelineHook, ABrokenRuleFailsNamingBothEventsTheirTimesAndTheRule) {
  const auto r = run(R"({"rules": ["pasted within 1 ms of copied"]})", kGood);
  EXPECT_EQ(r.verdict, campaign::Verdict::Fail);
  EXPECT_EQ(r.reason,
            "timeline: `pasted` at 4.500 ms came 2.500 ms after `copied` at 2.000 ms, more than "
            "1 ms (rule \"pasted within 1 ms of copied\")");
  EXPECT_EQ(r.signature, "FAIL timeline pasted within 1 ms of copied");
  EXPECT_EQ(r.analysis["timeline"]["violations"][0]["a_ms"], 2.0);
  EXPECT_EQ(r.analysis["charts"][0]["shades"].size(), 1u);
}

TEST(TimelineHook, AFailedVerifyAFailedOrMissingCompletionFail) {
  std::string console = kGood;
  console.replace(console.find("pass:64_of_64"), 13, "fail:63_of_64");
  console.replace(console.find("stress:pass"), 11, "stress:fail");
  auto r = run(R"({"milestones": ["copied"]})", console);
  EXPECT_EQ(r.verdict, campaign::Verdict::Fail);
  EXPECT_EQ(r.reason, "timeline: VERIFY items_intact failed at 3.000 ms: 63_of_64");
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[1].reason, "timeline: the guest completed the scenario with fail");

  r = run(R"({"milestones": ["copied"]})",
          kGood.substr(0, kGood.find("RAYOS_INTEGRATION:SCENARIO_COMPLETE")));
  EXPECT_THAT(r.reason, HasSubstr("`complete` never happened"));
  EXPECT_EQ(r.findings.back().reason,
            "timeline: the scenario never printed INTEGRATION:SCENARIO_COMPLETE");
  r = run(R"({"milestones": ["copied"]})", "RAYOS_SYS:HEARTBEAT:1000\n");
  EXPECT_EQ(r.reason, "timeline: the guest never printed INTEGRATION:SCENARIO_START");
}

TEST(TimelinePanel, ListsEachRunsEventsAndViolationsAndIsAbsentWithoutTimelines) {
  campaign::CampaignOutcome outcome;
  EXPECT_FALSE(timeline_panel(outcome).has_value());
  outcome.runs.push_back(run(R"({"rules": ["pasted before copied"]})", kGood));
  const auto panel = timeline_panel(outcome);
  ASSERT_TRUE(panel.has_value());
  ASSERT_EQ(panel->tables.size(), 2u);
  EXPECT_EQ(panel->tables[0].rows[0][1], "pasted before copied");
  EXPECT_EQ(panel->tables[1].rows.size(), 4u);
  EXPECT_EQ(panel->tables[1].rows[3][3], "5.000");
  EXPECT_EQ(panel->summary->rows[0], (std::vector<std::string>{"clip-s1", "4", "1"}));
}

}  // namespace
}  // namespace osh::e2e

namespace osh::e2e {
namespace {

TEST(TimelineHook, ItsFindingsComeBeforeTheExitCodeTheyExplain) {
  std::string console = kGood;
  console.replace(console.find("pass:64_of_64"), 13, "fail:63_of_64");
  campaign::RunResult before;
  before.findings.push_back(
      {campaign::Verdict::Fail, "guest exited with code 1, expected 0", "FAIL exit-code 1"});
  const auto r = run(R"({"milestones": ["copied"]})", console, before);
  EXPECT_EQ(r.reason, "timeline: VERIFY items_intact failed at 3.000 ms: 63_of_64");
  EXPECT_EQ(r.findings.back().signature, "FAIL exit-code 1");
}

TEST(TimelineHook, AScenarioAcrossARebootGoesOnFromTheLastTimeTheFirstBootStamped) {
  // The second boot's clock starts over (and lower than the first boot's last time).
  const std::string console =
      "RAYOS_INTEGRATION:SCENARIO_START:shutdown_recovery:3000000\n"
      "RAYOS_INTEGRATION:MILESTONE:power_fail:3200000\n"
      "RAYOS_INTEGRATION:MILESTONE:journal_committed:3250000\n"
      "RAYOS_INTEGRATION:REBOOT:power_cycle:3251500\n"
      "RAYOS_INTEGRATION:SCENARIO_START:shutdown_recovery:2000000\n"
      "RAYOS_INTEGRATION:MILESTONE:journal_read:2000400\n"
      "RAYOS_INTEGRATION:VERIFY:documents_recovered:pass:4_of_4:2001000\n"
      "RAYOS_INTEGRATION:SCENARIO_COMPLETE:shutdown_recovery:pass:2002000\n";
  const auto r = run(R"({"milestones": ["power_fail", "journal_committed", "reboot",
                     "journal_read", "complete"], "rules": ["start exactly once",
                     "reboot exactly once", "journal_read within 1 ms of reboot"]})",
                     console);
  EXPECT_EQ(r.verdict, campaign::Verdict::Pass) << r.reason;
  const auto& events = r.analysis.at("timeline").at("events");
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[3]["name"], "reboot");
  EXPECT_DOUBLE_EQ(events[3]["t_ms"].get<double>(), 251.5);
  EXPECT_EQ(events[4]["name"], "journal_read");
  EXPECT_DOUBLE_EQ(events[4]["t_ms"].get<double>(), 251.9);
  EXPECT_DOUBLE_EQ(r.analysis.at("timeline").at("verifies")[0]["t_ms"].get<double>(), 252.5);
  EXPECT_DOUBLE_EQ(events[5]["t_ms"].get<double>(), 253.5);
}

}  // namespace
}  // namespace osh::e2e
