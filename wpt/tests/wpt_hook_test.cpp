#include "wpt/wpt_hook.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"
#include "harness/marker/schema.h"
#include "os/core/marker_writer.h"
#include "wpt/data_image.h"

namespace osh::wpt {
namespace {

const std::filesystem::path kWpt = OSH_WPT_DIR;

// A spec file in wpt/specs, so that the section's default paths (../data, ../meta) resolve.
const std::string kOrigin = (kWpt / "specs" / "unit-test.json").string();

std::string parse_error(const nlohmann::json& section) {
  try {
    parse_wpt_config(section, kOrigin);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(WptConfig, DefaultsReadThePinnedDataAndExpectations) {
  const auto c = parse_wpt_config(nlohmann::json::object(), kOrigin);
  EXPECT_EQ(c->data_dir, (kWpt / "data").lexically_normal());
  EXPECT_EQ(c->meta_dir, (kWpt / "meta").lexically_normal());
  EXPECT_EQ(c->shards, 1);
  EXPECT_EQ(c->product, "rayos");
  EXPECT_EQ(c->os, "rayos");
  EXPECT_GT(c->tests.size(), 10u);
  uint64_t pinned = 0;
  for (const auto& [dir, n] : c->pinned_subtests) pinned += n;
  uint64_t selected = 0;
  for (const auto& t : c->tests) selected += t.subtests.size();
  EXPECT_EQ(pinned, selected);  // nothing is disabled in wpt/meta
  // What the journal and bundles keep parses back to the same section.
  EXPECT_EQ(parse_wpt_config(c->to_json(), kOrigin)->to_json(), c->to_json());
}

TEST(WptConfig, ErrorsNameTheSpecAndField) {
  EXPECT_NE(parse_error({{"test", {"/url/"}}}).find("unit-test.json: wpt.test: unknown field"),
            std::string::npos)
      << parse_error({{"test", {"/url/"}}});
  EXPECT_NE(parse_error({{"shards", 0}}).find("wpt.shards"), std::string::npos);
  EXPECT_NE(parse_error({{"tests", {"/nope/"}}}).find("\"/nope/\" selects no WPT test"),
            std::string::npos);
  EXPECT_NE(parse_error({{"data", "/nonexistent"}}).find("/nonexistent/manifest.json"),
            std::string::npos)
      << parse_error({{"data", "/nonexistent"}});
}

TEST(WptConfig, ShardsFollowTheSeed) {
  EXPECT_EQ(shard_of(1, 3), 1);
  EXPECT_EQ(shard_of(2, 3), 2);
  EXPECT_EQ(shard_of(3, 3), 0);
  EXPECT_EQ(shard_of(12345, 1), 0);
}

class Hook : public ::testing::Test {
 protected:
  std::string line(const char* category, const char* event, std::vector<std::string> fields) {
    rayos::MarkerWriter w(category, event);
    for (const auto& f : fields) w.field(rayos::StringView(f.data(), f.size()));
    const auto v = w.finish(seq_++);
    return std::string(v.data(), v.size());
  }

  test_support::TempDir tmp_;
  const std::filesystem::path& folder_ = tmp_.path();
  uint64_t seq_ = 0;
};

// The hook end to end, its guest played by markers: the image it builds is the initrd, and
// the results land in analysis["wpt"], the findings and JUnit's testcases.
TEST_F(Hook, BuildsTheImageAndJudgesWhatTheGuestReports) {
  const auto config = parse_wpt_config({{"tests", {"/fetch/data-urls/base64.any.html"}}}, kOrigin);
  const auto info = wpt_hook_info();
  vm::VmConfig vm_config;
  const campaign::HookSetup setup{7, 0, folder_, &vm_config, {}};
  auto hook = info.make(*config, setup);
  hook->configure(vm_config);
  EXPECT_EQ(vm_config.initrd, folder_ / "wpt-data.img");
  const DataImage expected = build_data_image(config->tests);
  std::ifstream in(vm_config.initrd, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, expected.bytes);

  const auto& test = config->tests.at(0);
  char crc[16];
  std::snprintf(crc, sizeof crc, "%08x", expected.test_crcs[0]);
  std::string console = line("BOOT", "START", {"0.1.0"});
  console += line("WPT", "TEST", {"0", std::to_string(test.subtests.size()), crc});
  for (size_t i = 0; i < test.subtests.size(); ++i)
    console += line("WPT", "SUBTEST",
                    {"0", std::to_string(i), i == 2 ? "FAIL" : "PASS", i == 2 ? "bad" : ""});
  console += line("WPT", "TEST_END", {"0", "OK", "1500", ""});
  console += line("WPT", "DONE", {"1", std::to_string(test.subtests.size() - 1), "1", "0"});
  marker::Schema schema = marker::Schema::load(OSH_RAYOS_SCHEMA);
  marker::MarkerStream stream(schema);
  stream.add_observer(hook.get());
  stream.feed(console, 1);
  stream.finish(2);

  campaign::RunResult r;
  r.analysis["guest_version"] = "0.1.0";
  hook->finish(r);
  const auto& wpt = r.analysis["wpt"];
  EXPECT_EQ(wpt["product"], "rayos");
  EXPECT_EQ(wpt["browser_version"], "0.1.0");
  EXPECT_EQ(wpt["revision"], config->manifest.revision);
  EXPECT_EQ(wpt["shard"], 0);
  ASSERT_EQ(wpt["results"].size(), 1u);
  const auto& result = wpt["results"][0];
  EXPECT_EQ(result["test"], "/fetch/data-urls/base64.any.html");
  EXPECT_EQ(result["duration"], 1);
  EXPECT_EQ(result["subtests"][2]["name"], test.subtests[2].name);
  EXPECT_EQ(result["subtests"][2]["status"], "FAIL");
  EXPECT_EQ(result["subtests"][2]["expected"], "PASS");  // unexpected: annotated
  EXPECT_FALSE(result["subtests"][1].contains("expected"));
  EXPECT_EQ(r.metrics["wpt.unexpected"], 1);
  EXPECT_EQ(r.metrics["wpt.subtests.pass"], static_cast<double>(test.subtests.size() - 1));
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].signature, "FAIL wpt-unexpected");
  EXPECT_NE(r.findings[0].reason.find(test.subtests[2].name + ": FAIL, expected PASS (bad)"),
            std::string::npos)
      << r.findings[0].reason;
  ASSERT_EQ(r.guest_tests.size(), test.subtests.size());
  EXPECT_EQ(r.guest_tests[2].verdict, campaign::Verdict::Fail);
  EXPECT_EQ(r.guest_tests[2].name, "/fetch/data-urls/base64.any.html | " + test.subtests[2].name);
}

TEST_F(Hook, AnInitrdInTheSpecConflictsWithTheDataImage) {
  const auto config = parse_wpt_config({{"tests", {"/url/toascii.any.html"}}}, kOrigin);
  vm::VmConfig vm_config;
  vm_config.initrd = "/some/initrd";
  auto hook = wpt_hook_info().make(*config, {1, 0, folder_, &vm_config, {}});
  EXPECT_THROW(hook->configure(vm_config), InfraError);
}

TEST_F(Hook, AGuestThatNeverFinishesFailsTheRun) {
  const auto config = parse_wpt_config({{"tests", {"/url/toascii.any.html"}}}, kOrigin);
  vm::VmConfig vm_config;
  auto hook = wpt_hook_info().make(*config, {1, 0, folder_, &vm_config, {}});
  campaign::RunResult r;
  hook->finish(r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].signature, "FAIL wpt-unfinished");
  EXPECT_TRUE(r.analysis["wpt"]["results"].empty());
}

}  // namespace
}  // namespace osh::wpt
