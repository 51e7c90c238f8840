#include "os/core/cmdline.h"

#include <gtest/gtest.h>

#include <iterator>
#include <string>

#include "os/core/bug_knobs.h"
#include "os/core/params.h"

namespace rayos {
namespace {

std::string str(StringView v) { return std::string(v.data(), v.size()); }

TEST(RayosCmdline, ScenarioSeedAndParams) {
  RunRequest r;
  TextBuffer err;
  ASSERT_TRUE(parse_cmdline("  osh.scenario=flood\tosh.seed=42 count=1000  extra=x ", r, err))
      << str(err.view());
  EXPECT_EQ(str(r.scenario), "flood");
  EXPECT_EQ(r.seed, 42u);
  ASSERT_EQ(r.param_count, 2u);
  EXPECT_EQ(str(r.params[0].key), "count");
  EXPECT_EQ(str(r.params[0].value), "1000");
  EXPECT_EQ(str(r.params[1].key), "extra");
  EXPECT_EQ(str(r.params[1].value), "x");
}

TEST(RayosCmdline, ScreenshotsAreAskedForWithOne) {
  RunRequest r;
  TextBuffer err;
  ASSERT_TRUE(parse_cmdline("osh.scenario=theme_change", r, err));
  EXPECT_FALSE(r.screenshots);
  ASSERT_TRUE(parse_cmdline("osh.scenario=theme_change osh.screenshots=1", r, err));
  EXPECT_TRUE(r.screenshots);
  ASSERT_TRUE(parse_cmdline("osh.screenshots=0", r, err));
  EXPECT_FALSE(r.screenshots);
}

TEST(RayosCmdline, CoverageIsAskedForWithOne) {
  RunRequest r;
  TextBuffer err;
  ASSERT_TRUE(parse_cmdline("osh.scenario=selftest", r, err));
  EXPECT_FALSE(r.coverage);
  ASSERT_TRUE(parse_cmdline("osh.scenario=selftest osh.coverage=1", r, err));
  EXPECT_TRUE(r.coverage);
  EXPECT_FALSE(r.screenshots);
  ASSERT_TRUE(parse_cmdline("osh.coverage=0", r, err));
  EXPECT_FALSE(r.coverage);
}

TEST(RayosCmdline, EmptyMeansShell) {
  RunRequest r;
  TextBuffer err;
  ASSERT_TRUE(parse_cmdline("", r, err));
  EXPECT_TRUE(r.scenario.empty());
  EXPECT_EQ(r.seed, 0u);
  ASSERT_TRUE(parse_cmdline("   ", r, err));
  EXPECT_TRUE(r.scenario.empty());
}

TEST(RayosCmdline, ValueMayContainEquals) {
  RunRequest r;
  TextBuffer err;
  ASSERT_TRUE(parse_cmdline("k=a=b", r, err));
  EXPECT_EQ(str(r.params[0].value), "a=b");
}

struct BadCase {
  const char* cmdline;
  std::string reason;
};

const std::string kKnobCount = std::to_string(std::size(kBugKnobNames));

class RayosCmdlineBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(RayosCmdlineBad, IsRejectedWithReason) {
  RunRequest r;
  TextBuffer err;
  EXPECT_FALSE(parse_cmdline(GetParam().cmdline, r, err));
  EXPECT_EQ(str(err.view()), GetParam().reason);
  for (char c : str(err.view())) EXPECT_NE(c, ' ') << "reasons become marker fields";
}

INSTANTIATE_TEST_SUITE_P(
    All, RayosCmdlineBad,
    ::testing::Values(
        BadCase{"osh.scenario=a osh.bogus=1", "unknown_key=osh.bogus"},
        BadCase{"osh.seed=abc", "osh.seed_is_not_a_u64=abc"},
        BadCase{"osh.seed=-1", "osh.seed_is_not_a_u64=-1"},
        BadCase{"osh.seed=18446744073709551616", "osh.seed_is_not_a_u64=18446744073709551616"},
        BadCase{"osh.seed=", "osh.seed_is_not_a_u64="},
        BadCase{"osh.seed=1 osh.seed=2", "duplicate_key=osh.seed"},
        BadCase{"osh.scenario=a osh.scenario=b", "duplicate_key=osh.scenario"},
        BadCase{"osh.scenario=", "empty_value_for=osh.scenario"},
        BadCase{"count=1 count=2", "duplicate_key=count"},
        BadCase{"quiet", "expected_key=value_but_got=quiet"}, BadCase{"=5", "empty_key_in==5"},
        BadCase{"osh.bug=nope", "unknown_bug=nope(" + kKnobCount +
                                    "_knobs_listed_in_docs/"
                                    "rayos.md_Planted_bugs)"},
        BadCase{"osh.bug=leak_on_exit,",
                "unknown_bug=(" + kKnobCount + "_knobs_listed_in_docs/rayos.md_Planted_bugs)"},
        BadCase{"osh.bug=no_preempt osh.bug=no_preempt", "duplicate_key=osh.bug"},
        BadCase{"osh.screenshots=yes", "osh.screenshots_is_not_0_or_1=yes"},
        BadCase{"osh.screenshots=1 osh.screenshots=1", "duplicate_key=osh.screenshots"},
        BadCase{"osh.coverage=on", "osh.coverage_is_not_0_or_1=on"},
        BadCase{"osh.coverage=1 osh.coverage=0", "duplicate_key=osh.coverage"},
        BadCase{"a=1 b=1 c=1 d=1 e=1 f=1 g=1 h=1 i=1 j=1 k=1 l=1 m=1 n=1 o=1 p=1 q=1",
                "more_than_16_parameters"}));

TEST(RayosShellLine, Run) {
  RunRequest r;
  TextBuffer err;
  ASSERT_EQ(parse_shell_line("run flood count=3", 9, r, err), ShellLine::kRun) << str(err.view());
  EXPECT_EQ(str(r.scenario), "flood");
  EXPECT_EQ(r.seed, 9u);
  ASSERT_EQ(r.param_count, 1u);
  EXPECT_EQ(str(r.params[0].key), "count");
  ASSERT_EQ(parse_shell_line("run hello osh.seed=5", 9, r, err), ShellLine::kRun);
  EXPECT_EQ(r.seed, 5u);
  EXPECT_EQ(r.param_count, 0u);
}

TEST(RayosShellLine, EmptyAndErrors) {
  RunRequest r;
  TextBuffer err;
  EXPECT_EQ(parse_shell_line("", 0, r, err), ShellLine::kEmpty);
  EXPECT_EQ(parse_shell_line(" \t ", 0, r, err), ShellLine::kEmpty);
  EXPECT_EQ(parse_shell_line("reboot now", 0, r, err), ShellLine::kError);
  EXPECT_EQ(str(err.view()),
            "unknown_command=reboot(try_run_<scenario>_[key=value]..._or_metrics)");
  err.clear();
  EXPECT_EQ(parse_shell_line("run", 0, r, err), ShellLine::kError);
  EXPECT_EQ(str(err.view()), "run_needs_a_scenario_name_first");
  err.clear();
  EXPECT_EQ(parse_shell_line("run count=3", 0, r, err), ShellLine::kError);
  EXPECT_EQ(str(err.view()), "run_needs_a_scenario_name_first");
  err.clear();
  EXPECT_EQ(parse_shell_line("run a osh.scenario=b", 0, r, err), ShellLine::kError);
  EXPECT_EQ(str(err.view()), "osh.scenario_is_not_allowed_here(the_scenario_name_follows_run)");
  err.clear();
  EXPECT_EQ(parse_shell_line("run a osh.x=1", 0, r, err), ShellLine::kError);
  EXPECT_EQ(str(err.view()), "unknown_key=osh.x");
}

TEST(RayosCmdline, BugKnobs) {
  RunRequest r;
  TextBuffer err;
  ASSERT_TRUE(parse_cmdline("osh.scenario=selftest osh.bug=leak_on_exit,no_preempt", r, err))
      << str(err.view());
  EXPECT_EQ(r.bugs, kBugLeakOnExit | kBugNoPreempt);
  ASSERT_TRUE(parse_cmdline("osh.scenario=selftest osh.bug=", r, err));
  EXPECT_EQ(r.bugs, 0u);
  ASSERT_TRUE(parse_cmdline("osh.scenario=selftest", r, err));
  EXPECT_EQ(r.bugs, 0u);
  ASSERT_EQ(parse_shell_line("run selftest osh.bug=no_cycle_check", 0, r, err), ShellLine::kRun);
  EXPECT_EQ(r.bugs, kBugNoCycleCheck);
}

TEST(RayosBugKnobs, ListsAndErrors) {
  uint32_t mask = 99;
  TextBuffer err;
  ASSERT_TRUE(parse_bug_knobs("", mask, err));
  EXPECT_EQ(mask, 0u);
  ASSERT_TRUE(parse_bug_knobs("no_preempt,leak_on_exit,no_preempt", mask, err));
  EXPECT_EQ(mask, kBugNoPreempt | kBugLeakOnExit);
  EXPECT_FALSE(parse_bug_knobs("no_preempt,,leak_on_exit", mask, err));
  EXPECT_EQ(mask, 0u);  // nothing half-applied
  EXPECT_EQ(str(err.view()),
            "unknown_bug=(" + kKnobCount + "_knobs_listed_in_docs/rayos.md_Planted_bugs)");
}

TEST(RayosShellLine, Metrics) {
  RunRequest r;
  TextBuffer err;
  EXPECT_EQ(parse_shell_line(" metrics ", 0, r, err), ShellLine::kMetrics);
  EXPECT_EQ(parse_shell_line("metrics now", 0, r, err), ShellLine::kError);
  EXPECT_EQ(str(err.view()), "metrics_takes_no_arguments_but_got=now");
}

constexpr ParamSpec kSpecs[] = {{"count", 1, 1000, 10}, {"code", 0, 127, 0}};

TEST(RayosParams, DefaultsAndGivenValues) {
  uint64_t values[2];
  TextBuffer err;
  ASSERT_TRUE(resolve_params(kSpecs, 2, nullptr, 0, values, err));
  EXPECT_EQ(values[0], 10u);
  EXPECT_EQ(values[1], 0u);
  Param given[] = {{"code", "127"}, {"count", "1"}};
  ASSERT_TRUE(resolve_params(kSpecs, 2, given, 2, values, err));
  EXPECT_EQ(values[0], 1u);
  EXPECT_EQ(values[1], 127u);
}

TEST(RayosParams, Errors) {
  uint64_t values[2];
  TextBuffer err;
  Param unknown[] = {{"size", "1"}};
  EXPECT_FALSE(resolve_params(kSpecs, 2, unknown, 1, values, err));
  EXPECT_EQ(str(err.view()), "unknown_parameter=size(expected_count_code)");
  err.clear();
  EXPECT_FALSE(resolve_params(kSpecs, 0, unknown, 1, values, err));
  EXPECT_EQ(str(err.view()), "unknown_parameter=size(this_scenario_takes_none)");
  err.clear();
  Param bad[] = {{"count", "ten"}};
  EXPECT_FALSE(resolve_params(kSpecs, 2, bad, 1, values, err));
  EXPECT_EQ(str(err.view()), "count_is_not_a_u64=ten");
  err.clear();
  Param low[] = {{"count", "0"}};
  EXPECT_FALSE(resolve_params(kSpecs, 2, low, 1, values, err));
  EXPECT_EQ(str(err.view()), "count=0_is_outside_1..1000");
  err.clear();
  Param high[] = {{"code", "128"}};
  EXPECT_FALSE(resolve_params(kSpecs, 2, high, 1, values, err));
  EXPECT_EQ(str(err.view()), "code=128_is_outside_0..127");
}

constexpr StringView kKinds[] = {"cpu", "disk"};
constexpr uint8_t kDefaultLevels[] = {0, 50};
constexpr ParamSpec kTyped[] = {{"type", 0, 0, 1, ParamKind::kChoice, kKinds, 2},
                                {"levels", 0, 100, list_param(kDefaultLevels), ParamKind::kList}};

TEST(RayosParams, ChoicesAndLists) {
  uint64_t values[2];
  TextBuffer err;
  ASSERT_TRUE(resolve_params(kTyped, 2, nullptr, 0, values, err));
  EXPECT_EQ(values[0], 1u);
  ASSERT_EQ(list_size(values[1]), 2u);
  EXPECT_EQ(list_item(values[1], 0), 0u);
  EXPECT_EQ(list_item(values[1], 1), 50u);
  Param given[] = {{"type", "cpu"}, {"levels", "0,25,50,75,100,100,3,0"}};
  ASSERT_TRUE(resolve_params(kTyped, 2, given, 2, values, err)) << str(err.view());
  EXPECT_EQ(values[0], 0u);
  ASSERT_EQ(list_size(values[1]), 8u);
  const uint64_t expected[] = {0, 25, 50, 75, 100, 100, 3, 0};
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(list_item(values[1], i), expected[i]) << i;
}

TEST(RayosParams, ChoiceAndListErrors) {
  uint64_t values[2];
  TextBuffer err;
  const std::pair<Param, const char*> cases[] = {
      {{"type", "gpu"}, "type=gpu_is_not_one_of_cpu|disk"},
      {{"levels", "0,,5"}, "levels_item_is_not_a_u64="},
      {{"levels", ""}, "levels_item_is_not_a_u64="},
      {{"levels", "0,101"}, "levels_item_101_is_outside_0..100"},
      {{"levels", "1,2,3,4,5,6,7,8,9"}, "levels_has_more_than_8_items"},
  };
  for (const auto& [param, reason] : cases) {
    err.clear();
    EXPECT_FALSE(resolve_params(kTyped, 2, &param, 1, values, err)) << reason;
    EXPECT_EQ(str(err.view()), reason);
  }
}

}  // namespace
}  // namespace rayos
