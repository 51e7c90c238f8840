// `osharness report --history` over output folders of real campaigns: rayos `hello` run twice
// (label guest, a few seconds).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using ::testing::HasSubstr;

TEST(HistoryGuest, TwoNightsOfHelloGiveOneSpecsTrend) {
  TempDir dir;
  const nlohmann::json spec = {{"name", "hello"},
                               {"guest", {{"kernel", rayos_kernel().string()}}},
                               {"scenario", "hello"},
                               {"criteria", {"boot_ms <= 60000"}}};
  std::ofstream(dir.path() / "hello.json") << spec.dump();
  std::vector<std::string> history{"report", "--history"};
  for (const char* night : {"night2", "night1"}) {  // night2 runs first: it is the earlier
    const auto out = dir.path() / night;
    const auto f = run_osharness({"run", (dir.path() / "hello.json").string(), "--repeat", "2",
                                  "--accel", "tcg", "-q", "--out", out.string()},
                                 dir.path());
    ASSERT_EQ(f.status.code, 0) << f.out << f.err;
    history.push_back(out.string());
  }
  history.insert(history.end(), {"--out", (dir.path() / "trend").string()});
  const auto f = run_osharness(history, dir.path(), std::chrono::seconds(60));
  ASSERT_EQ(f.status.code, 0) << f.out << f.err;
  const auto j = read_json(dir.path() / "trend" / "history.json");
  ASSERT_EQ(j["campaigns"].size(), 2u);
  EXPECT_EQ(j["campaigns"][0]["folder"], (dir.path() / "night2").string());
  EXPECT_EQ(j["specs"], nlohmann::json::array({"hello"}));
  for (const auto& c : j["campaigns"]) {
    EXPECT_EQ(c["specs"]["hello"]["runs"], 2);
    EXPECT_EQ(c["specs"]["hello"]["passed"], 2);
    EXPECT_GT(c["specs"]["hello"]["figures"]["boot_ms"]["p50"].get<double>(), 0);
  }
  const auto page = read_file(dir.path() / "trend" / "history.html");
  EXPECT_THAT(page, HasSubstr("data-chart-id=\"history.hello.boot_ms\""));
  EXPECT_THAT(page, HasSubstr("data-chart-id=\"history.hello.pass_rate\""));
}

}  // namespace
}  // namespace osh::cli::testing
