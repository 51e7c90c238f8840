// The screenshot hook against a FakeVm whose screen "shows" a picture the test chooses: the
// request marker, the screendump, the answer to the guest, and the comparison with goldens.
#include "e2e/screenshot_hook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "e2e/tests/vm_control.h"
#include "harness/analysis/testing.h"
#include "harness/base/testing/temp_dir.h"
#include "harness/vm/testing/fake_vm.h"

namespace osh::e2e {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

Image picture(uint32_t color) { return Image{8, 4, std::vector<uint32_t>(32, color)}; }

struct Fixture {
  test_support::TempDir dir;
  fs::path run_folder = dir.path() / "out" / "runs" / "000-x";
  fs::path golden_dir = dir.path() / "golden";
  vm::testing::FakeVm vm;
  Image shown = picture(0x203040);

  Fixture() {
    fs::create_directories(run_folder);
    fs::create_directories(golden_dir);
    vm.screendump = [this](const fs::path& png) { write_png(shown, png); };
  }

  // Runs the hook over `console` and returns what it adds to a result.
  campaign::RunResult run(const std::string& console, const std::string& extra = "") {
    const auto config = parse_screenshot_config(
        nlohmann::json::parse(R"({"golden": ")" + golden_dir.string() + R"(")" + extra + "}"),
        "x.json");
    ScreenshotHook hook(*config, run_folder);
    hook.before_start(vm);
    marker::MarkerStream stream(analysis::testing::relaxed_schema(OSH_RAYOS_SCHEMA));
    stream.add_observer(&hook);
    stream.feed(console, 1);
    stream.finish(2);
    testing::VmControl control(vm);
    EXPECT_EQ(hook.next_tick_ns(), console.empty() ? INT64_MAX : 0);
    hook.tick(0, control);
    campaign::RunResult r;
    hook.finish(r);
    return r;
  }
};

const std::string kAsk = "RAYOS_INTEGRATION:SCREENSHOT:desk:1000\n";

TEST(ScreenshotHook, TakesTheScreenshotAnswersTheGuestAndPassesTheSamePicture) {
  Fixture f;
  write_png(f.shown, f.golden_dir / "desk.png");
  const auto r = f.run(kAsk, R"(, "expect": ["desk"])");
  EXPECT_EQ(f.vm.console_input, "\n");
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].reason;
  const auto& shot = r.analysis["screenshots"]["shots"][0];
  EXPECT_EQ(shot["status"], "same");
  EXPECT_EQ(shot["actual"], "runs/000-x/screens/desk.png");
  EXPECT_TRUE(fs::exists(f.run_folder / "screens" / "desk.diff.png"));
  EXPECT_EQ(r.metrics.at("screenshots.taken"), 1);
}

TEST(ScreenshotHook, AnotherPictureFailsNamingThePixelsAndTheDiff) {
  Fixture f;
  write_png(f.shown, f.golden_dir / "desk.png");
  f.shown.pixels[9] = 0x213040;  // (1, 1), one channel off by 1
  auto r = f.run(kAsk);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].reason,
            "screenshots: desk differs from its golden: 1 pixel(s) differ (max channel delta 1), "
            "first at (1, 1) (tolerance 0; diff runs/000-x/screens/desk.diff.png)");
  EXPECT_EQ(r.metrics.at("screenshots.differing_pixels"), 1);
  r = f.run(kAsk, R"(, "tolerance": 1)");
  EXPECT_TRUE(r.findings.empty());
  r = f.run(kAsk, R"(, "masks": [{"x": 1, "y": 1, "w": 1, "h": 1, "shot": "desk"}])");
  EXPECT_TRUE(r.findings.empty());
}

TEST(ScreenshotHook, NoGoldenNeverTakenAndUnreadableGoldenAreNamed) {
  Fixture f;
  auto r = f.run(kAsk, R"(, "expect": ["desk", "end"])");
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].reason,
            "screenshots: end was never taken (the guest did not ask for it)");
  EXPECT_THAT(r.findings[1].reason, HasSubstr("no golden " + (f.golden_dir / "desk.png").string() +
                                              " for desk: check the screenshot and run"));
  std::ofstream(f.golden_dir / "desk.png") << "no png";
  r = f.run(kAsk);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].verdict, campaign::Verdict::InfraError);
  EXPECT_THAT(r.findings[0].reason, HasSubstr("cannot compare desk: "));
}

TEST(ScreenshotHook, AVmWithoutAScreenIsAnInfraErrorBeforeTheRun) {
  Fixture f;
  f.vm.screendump = nullptr;
  const auto config = parse_screenshot_config(nlohmann::json::parse(R"({"golden": "g"})"), "x");
  ScreenshotHook hook(*config, f.run_folder);
  EXPECT_THROW(hook.before_start(f.vm), InfraError);
}

}  // namespace
}  // namespace osh::e2e
