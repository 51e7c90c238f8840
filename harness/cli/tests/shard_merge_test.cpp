// One campaign run whole, and the same campaign run as three shards (each given the specs in
// another order) and merged: the same runs, verdicts and measurements. Deterministic guests
// (icount) make every guest-measured figure comparable; only the host's clock readings differ.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ShardMergeTest : public ::testing::Test {
 protected:
  ShardMergeTest() {
    // hello passes, exitcode fails on its exit code, flood passes with many markers.
    write_spec("hello", {{"scenario", "hello"}, {"repeat", 3}});
    write_spec("exit3", {{"scenario", "exitcode"}, {"params", {{"code", 3}}}});
    write_spec("flood", {{"scenario", "flood"}, {"params", {{"count", 3000}}}, {"repeat", 2}});
  }

  void write_spec(const std::string& name, json fields) {
    fields["name"] = name;
    fields["guest"] = {{"kernel", rayos_kernel().string()}, {"deterministic", true}};
    fields["seed"] = 7;
    fields["timeouts"] = {{"idle_s", 20}, {"deadline_s", 120}};
    std::ofstream(dir_.path() / (name + ".json")) << fields.dump(2);
  }
  std::string spec(const std::string& name) const {
    return (dir_.path() / (name + ".json")).string();
  }
  std::string out(const std::string& name) const { return (dir_.path() / name).string(); }

  Finished osharness(std::vector<std::string> args) { return run_osharness(args, dir_.path()); }

  TempDir dir_;
};

// Metrics that are readings of the host's clock, which no two runs share.
bool host_timed(const std::string& metric) {
  return metric == "boot_ms" || metric == "boot_ms_raw" || metric == "first_output_ms" ||
         metric == "first_output_ms_raw" || metric == "duration_ms" ||
         metric == "duration_ms_less_starvation" || metric == "starved_ms";
}

TEST_F(ShardMergeTest, ThreeShardsMergedGiveTheVerdictsAndMetricsOfOneUnshardedRun) {
  const auto whole =
      osharness({"run", spec("hello"), spec("exit3"), spec("flood"), "--out", out("whole"), "-q"});
  ASSERT_EQ(whole.status.code, 1) << whole.out << whole.err;  // exit3 fails
  const std::vector<std::vector<std::string>> orders = {
      {"hello", "exit3", "flood"}, {"flood", "hello", "exit3"}, {"exit3", "flood", "hello"}};
  for (int i = 1; i <= 3; ++i) {
    std::vector<std::string> args = {"run"};
    for (const auto& name : orders[size_t(i - 1)]) args.push_back(spec(name));
    args.insert(args.end(),
                {"--shard", std::to_string(i) + "/3", "--out", out("s" + std::to_string(i)), "-q"});
    const auto f = osharness(args);
    ASSERT_LE(f.status.code, 1) << f.out << f.err;
  }
  const auto merged = osharness({"merge", out("s1"), out("s2"), out("s3"), "--out", out("merged")});
  ASSERT_EQ(merged.status.code, 1) << merged.out << merged.err;

  const json a = read_json(dir_.path() / "whole" / "report.json");
  const json b = read_json(dir_.path() / "merged" / "report.json");
  EXPECT_EQ(b["verdict"], a["verdict"]);
  EXPECT_EQ(b["summary"]["by_verdict"], a["summary"]["by_verdict"]);
  EXPECT_EQ(b["warnings"], json::array());
  ASSERT_EQ(a["runs"].size(), 6u);
  ASSERT_EQ(b["runs"].size(), a["runs"].size());
  for (size_t i = 0; i < a["runs"].size(); ++i) {
    const json& x = a["runs"][i];
    const json& y = b["runs"][i];
    SCOPED_TRACE(x["name"].get<std::string>() + " #" + std::to_string(i));
    for (const char* key : {"index", "name", "seed", "verdict", "reason", "signature", "markers",
                            "exit", "console_log", "repro_bundle"})
      EXPECT_EQ(y[key], x[key]) << key;
    std::vector<std::string> names;
    for (const auto& [metric, value] : x["metrics"].items()) {
      names.push_back(metric);
      if (!host_timed(metric)) {
        EXPECT_EQ(y["metrics"][metric], value) << metric;
      }
    }
    std::vector<std::string> merged_names;
    for (const auto& [metric, value] : y["metrics"].items()) merged_names.push_back(metric);
    EXPECT_EQ(merged_names, names);
    // The run's folder came along: its console log is the one the shard's guest printed.
    const std::string log = read_file(dir_.path() / "merged" / y["console_log"].get<std::string>());
    EXPECT_EQ(log, read_file(dir_.path() / "whole" / x["console_log"].get<std::string>()));
  }
  EXPECT_EQ(a["runs"][3]["verdict"], "FAIL");
  EXPECT_GE(a["runs"][4]["metrics"]["markers.total"].get<double>(), 3000);
}

TEST_F(ShardMergeTest, ShardsOfDifferentCampaignsAreRefusedAndNothingIsWritten) {
  ASSERT_LE(
      osharness({"run", spec("hello"), "--shard", "1/2", "--out", out("a"), "-q"}).status.code, 1);
  write_spec("hello", {{"scenario", "hello"}, {"repeat", 4}});
  ASSERT_LE(
      osharness({"run", spec("hello"), "--shard", "2/2", "--out", out("b"), "-q"}).status.code, 1);
  const auto f = osharness({"merge", out("a"), out("b"), "--out", out("m")});
  EXPECT_EQ(f.status.code, 65);
  EXPECT_THAT(f.err, HasSubstr("are not shards of one campaign: spec \"hello\" differs (/repeat is "
                               "3 in " +
                               out("a") + " and 4 in " + out("b") + ")"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "m"));
}

}  // namespace
}  // namespace osh::cli::testing
