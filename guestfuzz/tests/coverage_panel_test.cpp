#include "guestfuzz/coverage_panel.h"

#include <gtest/gtest.h>

namespace osh::guestfuzz {
namespace {

campaign::RunResult run_with(const std::string& name, const nlohmann::json& coverage) {
  campaign::RunResult run;
  run.name = name;
  run.seed = 7;
  run.analysis["fuzz"] = {{"target", "cmdline"}};
  if (!coverage.is_null()) run.analysis["fuzz"]["coverage"] = coverage;
  return run;
}

TEST(CoveragePanel, ListsEachRunsFilesBelowTheirCommonFolder) {
  campaign::CampaignOutcome outcome;
  outcome.runs.push_back(run_with("a", nullptr));  // coverage off: no rows
  outcome.runs.push_back(run_with("b", {{"tracefile", "runs/b/coverage.info"},
                                        {"lines_found", 40},
                                        {"lines_hit", 10},
                                        {"files",
                                         {{{"file", "/src/os/core/cmdline.cpp"},
                                           {"lines_found", 30},
                                           {"lines_hit", 9},
                                           {"functions_found", 3},
                                           {"functions_hit", 1}},
                                          {{"file", "/src/os/kernel/ipc.cpp"},
                                           {"lines_found", 10},
                                           {"lines_hit", 1},
                                           {"functions_found", 2},
                                           {"functions_hit", 0}}}}}));
  const auto panel = coverage_panel(outcome);
  ASSERT_TRUE(panel);
  ASSERT_EQ(panel->tables.size(), 2u);
  EXPECT_EQ(panel->tables[0].rows,
            (std::vector<std::vector<std::string>>{
                {"b (seed 7)", "10", "40", "25.0", "runs/b/coverage.info"}}));
  EXPECT_EQ(panel->tables[1].rows,
            (std::vector<std::vector<std::string>>{
                {"b (seed 7)", "core/cmdline.cpp", "9", "30", "30.0", "1", "3"},
                {"b (seed 7)", "kernel/ipc.cpp", "1", "10", "10.0", "0", "2"}}));
  ASSERT_TRUE(panel->summary);
  EXPECT_EQ(panel->summary->rows.size(), 1u);
}

TEST(CoveragePanel, NoneWithoutCoverage) {
  campaign::CampaignOutcome outcome;
  outcome.runs.push_back(run_with("a", nullptr));
  EXPECT_FALSE(coverage_panel(outcome));
}

}  // namespace
}  // namespace osh::guestfuzz
