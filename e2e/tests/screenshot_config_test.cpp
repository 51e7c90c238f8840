// The `screenshots` section's parsing, and the Screenshots report section from runs' analysis.
// Taking and comparing screenshots in a real VM is covered by the e2e campaigns (ctest -L e2e).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/screenshot_hook.h"
#include "e2e/screenshot_panel.h"
#include "harness/base/errors.h"

namespace osh::e2e {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::string& json) {
  try {
    parse_screenshot_config(nlohmann::json::parse(json), "/s/specs/x.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ScreenshotConfig, ReadsGoldenFolderRelativeToTheSpecExpectToleranceAndMasks) {
  const auto c = parse_screenshot_config(
      nlohmann::json::parse(R"({"golden": "../golden/t", "expect": ["a", "b"], "tolerance": 3,
          "masks": [{"x": 1, "y": 2, "w": 3, "h": 4}, {"x": 0, "y": 0, "w": 1, "h": 1, "shot": "b"}]})"),
      "/s/specs/x.json");
  EXPECT_EQ(c->golden_dir, "/s/golden/t");
  EXPECT_EQ(c->expect, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c->tolerance, 3);
  EXPECT_EQ(c->masks_for("a").size(), 1u);
  EXPECT_EQ(c->masks_for("b").size(), 2u);
  EXPECT_EQ(c->masks_for("a")[0].h, 4);
}

TEST(ScreenshotConfig, ErrorsNameTheFileAndField) {
  EXPECT_THAT(error_of(R"({})"), HasSubstr("/s/specs/x.json: screenshots.golden: required"));
  EXPECT_THAT(error_of(R"({"golden": "g", "tolerance": 300})"), HasSubstr("screenshots.tolerance"));
  EXPECT_THAT(error_of(R"({"golden": "g", "expect": ["../x"]})"),
              HasSubstr("screenshots.expect[0]: \"../x\" is not a screenshot name"));
  EXPECT_THAT(error_of(R"({"golden": "g", "masks": [{"x": 1, "y": 1, "w": 0, "h": 1}]})"),
              HasSubstr("screenshots.masks[0].w"));
  EXPECT_THAT(error_of(R"({"golden": "g", "mask": []})"), HasSubstr("screenshots.mask"));
}

TEST(ScreenshotConfig, TheHookAsksTheGuestForScreenshots) {
  const auto c = parse_screenshot_config(nlohmann::json::parse(R"({"golden": "g"})"), "x.json");
  ScreenshotHook hook(*c, "/out/runs/000-x");
  vm::VmConfig config;
  config.append = "osh.scenario=theme_change";
  hook.configure(config);
  EXPECT_EQ(config.append, "osh.scenario=theme_change osh.screenshots=1");
}

TEST(ScreenshotPanel, ShowsGoldenActualAndDiffOfEachShot) {
  campaign::CampaignOutcome outcome;
  EXPECT_FALSE(screenshot_panel(outcome).has_value());
  campaign::RunResult run;
  run.name = "theme-s14";
  run.analysis["screenshots"] = {
      {"shots",
       {{{"name", "dark"},
         {"status", "differs"},
         {"differing_pixels", 12},
         {"max_delta", 9},
         {"golden", "runs/r/screens/dark.golden.png"},
         {"actual", "runs/r/screens/dark.png"},
         {"diff", "runs/r/screens/dark.diff.png"}},
        {{"name", "light"}, {"status", "no golden"}, {"actual", "runs/r/screens/light.png"}}}}};
  outcome.runs.push_back(run);
  const auto panel = screenshot_panel(outcome);
  ASSERT_TRUE(panel.has_value());
  ASSERT_EQ(panel->image_rows.size(), 2u);
  ASSERT_EQ(panel->image_rows[0].images.size(), 3u);
  EXPECT_EQ(panel->image_rows[0].images[0].path, "runs/r/screens/dark.golden.png");
  EXPECT_EQ(panel->image_rows[0].images[2].caption, "diff (red: differs)");
  EXPECT_EQ(panel->image_rows[1].images.size(), 1u);
  EXPECT_EQ(panel->tables[0].rows[0],
            (std::vector<std::string>{"theme-s14", "dark", "differs", "12", "9"}));
}

}  // namespace
}  // namespace osh::e2e
