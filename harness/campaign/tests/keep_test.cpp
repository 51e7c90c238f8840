// `osharness run --keep`: what stays of a run's folder.
#include "harness/campaign/keep.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh::campaign {
namespace {

class KeepTest : public ::testing::Test {
 protected:
  // A run folder as a run with a disk and a recording leaves it.
  std::filesystem::path folder(const std::string& name) {
    const auto f = tmp_.path() / "runs" / name;
    std::filesystem::create_directories(f / "disk-abc123");
    for (const char* file : {"console.log", "qemu.stderr.log", "qemu.stdout.log", "repro.json",
                             "replay.bin", "disk-abc123/disk.img"})
      std::ofstream(f / file) << "x";
    return f;
  }
  static std::set<std::string> files(const std::filesystem::path& dir) {
    std::set<std::string> out;
    if (!std::filesystem::exists(dir)) return out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
      out.insert(std::filesystem::relative(e.path(), dir).string());
    return out;
  }
  static RunResult result(Verdict v) {
    RunResult r;
    r.verdict = v;
    r.console_log = "runs/x/console.log";
    return r;
  }
  test_support::TempDir tmp_;
};

TEST_F(KeepTest, AllKeepsEverything) {
  const auto f = folder("a");
  auto r = result(Verdict::Pass);
  apply_keep(Keep::All, r, f);
  EXPECT_EQ(files(f).size(), 7u);
  EXPECT_EQ(r.console_log, "runs/x/console.log");
}

TEST_F(KeepTest, FailedRemovesAPassingRunsFolderAndKeepsAFailingOne) {
  const auto pass = folder("pass");
  auto p = result(Verdict::Pass);
  apply_keep(Keep::Failed, p, pass);
  EXPECT_FALSE(std::filesystem::exists(pass));
  EXPECT_EQ(p.console_log, "");
  for (const auto v : {Verdict::Fail, Verdict::Crash, Verdict::Flaky, Verdict::InfraError}) {
    const auto f = folder("fail");
    auto r = result(v);
    apply_keep(Keep::Failed, r, f);
    EXPECT_EQ(files(f).size(), 7u) << to_string(v);
    EXPECT_EQ(r.console_log, "runs/x/console.log");
  }
}

TEST_F(KeepTest, NoneKeepsOnlyWhatRerunsAFailure) {
  const auto f = folder("crash");
  auto r = result(Verdict::Crash);
  apply_keep(Keep::None, r, f);
  EXPECT_EQ(files(f), (std::set<std::string>{"repro.json", "replay.bin"}));
  EXPECT_EQ(r.console_log, "");
}

TEST_F(KeepTest, ParsesItsThreeWordsAndNamesThemOtherwise) {
  EXPECT_EQ(parse_keep("all"), Keep::All);
  EXPECT_EQ(parse_keep("failed"), Keep::Failed);
  EXPECT_EQ(parse_keep("none"), Keep::None);
  try {
    parse_keep("some");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("--keep \"some\": expected all"));
  }
}

}  // namespace
}  // namespace osh::campaign
