// `osharness gate` as users run it: the real binary, its files and its exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/cli/tests/osharness_process.h"
#include "reports/gate/tests/gate_fixtures.h"
#include "reports/tests/junit_schema.h"

namespace osh::gate {
namespace {

using cli::testing::read_file;
using cli::testing::run_osharness;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class GateCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_report(testing::outcome_of(testing::boot_runs("hello", 8, 100)),
                          path("base.json"));
    testing::write_report(testing::outcome_of(testing::boot_runs("hello", 8, 100)),
                          path("same.json"));
    testing::write_report(testing::outcome_of(testing::boot_runs("hello", 8, 120)),
                          path("slow.json"));
  }
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
  cli::testing::Finished gate(std::vector<std::string> args) {
    args.insert(args.begin(), "gate");
    return run_osharness(args, dir_.path(), std::chrono::seconds(30));
  }
  testing::TempDir dir_;
};

TEST_F(GateCliTest, NoChangeExitsZeroAndWritesBothFiles) {
  const auto r = gate({"--baseline", path("base.json"), "--current", path("same.json"),
                       "--markdown", path("g.md"), "--junit", path("g.xml")});
  EXPECT_EQ(r.status.code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("## osharness gate: passed"));
  EXPECT_EQ(read_file(path("g.md")), r.out);
  EXPECT_THAT(read_file(path("g.xml")), HasSubstr("<testsuites name=\"osharness gate\""));
}

TEST_F(GateCliTest, FilesGoOnlyWhereOutSays) {
  const auto cwd_md = std::filesystem::current_path() / "gate.md";
  ASSERT_FALSE(std::filesystem::exists(cwd_md)) << "left by something else";
  const auto printed = gate({"--baseline", path("base.json"), "--current", path("same.json")});
  EXPECT_EQ(printed.status.code, 0) << printed.err;
  EXPECT_THAT(printed.out, StartsWith("## osharness gate: passed"));
  EXPECT_FALSE(std::filesystem::exists(cwd_md));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::current_path() / "gate-junit.xml"));

  const auto to_out = gate({"--baseline", path("base.json"), "--current", path("same.json"),
                            "--out", path("gate-out/pr-7"), "--quiet"});
  EXPECT_EQ(to_out.status.code, 0) << to_out.err;
  EXPECT_EQ(to_out.out, "");
  EXPECT_EQ(read_file(path("gate-out/pr-7/gate.md")), printed.out);
  EXPECT_THAT(read_file(path("gate-out/pr-7/gate-junit.xml")), HasSubstr("<testsuites"));
  const auto junit =
      reports::testing::validate_junit(path("gate-out/pr-7/gate-junit.xml"), dir_.path());
  EXPECT_TRUE(junit.valid) << junit.messages;
}

TEST_F(GateCliTest, ARegressionExitsOne) {
  const auto r = gate({"--baseline", path("base.json"), "--current", path("slow.json"),
                       "--markdown", path("g.md"), "--junit", path("g.xml"), "--quiet"});
  EXPECT_EQ(r.status.code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(read_file(path("g.md")), HasSubstr("FAILED — 1 regression"));
  // A threshold above the shift lets it through.
  const auto loose =
      gate({"--baseline", path("base.json"), "--current", path("slow.json"), "--markdown",
            path("g.md"), "--junit", path("g.xml"), "--threshold", "boot_ms=30%"});
  EXPECT_EQ(loose.status.code, 0) << loose.err;
}

TEST_F(GateCliTest, SeveralCampaignsPerSideArePooled) {
  // Eight slow runs against sixteen baseline runs from two campaigns.
  const auto r =
      gate({"--baseline", path("base.json"), "--baseline", path("same.json"), "--current",
            path("slow.json"), "--markdown", path("g.md"), "--junit", path("g.xml")});
  EXPECT_EQ(r.status.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("base.json and 1 more campaign (16 runs)"));
  EXPECT_THAT(r.out, HasSubstr("| 16 / 8 |"));
}

TEST_F(GateCliTest, UsageErrorsExit64) {
  EXPECT_EQ(gate({"--baseline", path("base.json")}).status.code, 64);
  const auto r = gate(
      {"--baseline", path("base.json"), "--current", path("slow.json"), "--threshold", "boot_ms"});
  EXPECT_EQ(r.status.code, 64);
  EXPECT_THAT(r.err, HasSubstr("--threshold \"boot_ms\": expected NAME=VALUE"));
  EXPECT_EQ(
      gate({"--baseline", path("base.json"), "--current", path("slow.json"), "--confidence", "1.5"})
          .status.code,
      64);
}

TEST_F(GateCliTest, SomethingThatIsNotAReportExits65NamingIt) {
  std::ofstream(path("spec.json")) << R"({"name": "hello", "scenario": "hello"})";
  const auto r = gate({"--baseline", path("spec.json"), "--current", path("slow.json"),
                       "--markdown", path("g.md")});
  EXPECT_EQ(r.status.code, 65);
  EXPECT_THAT(r.err, HasSubstr(path("spec.json") + ": schema_version: missing"));
  EXPECT_FALSE(std::filesystem::exists(path("g.md")));
}

}  // namespace
}  // namespace osh::gate
