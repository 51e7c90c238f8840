// `osharness run --filter/--list/--dry-run` and `--param` beside spec files, through the real
// binary. Nothing here boots a VM (label unit): the kernels named need not exist.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SelectionCliTest : public ::testing::Test {
 protected:
  SelectionCliTest() {
    spec("boot-fast", {"quick"}, 1, 7);
    spec("boot-slow", {"slow"}, 3, 40);
    spec("flood", {"slow", "net"}, 2, std::nullopt);
  }
  void spec(const std::string& name, const std::vector<std::string>& tags, int repeat,
            std::optional<uint64_t> seed) {
    nlohmann::json j = {
        {"name", name},        {"tags", tags},     {"guest", {{"kernel", "never-built.elf"}}},
        {"scenario", "hello"}, {"repeat", repeat}, {"params", {{"level", "1"}}}};
    if (seed) j["seed"] = *seed;
    std::ofstream(path(name)) << j.dump();
  }
  std::string path(const std::string& name) const {
    return (dir_.path() / (name + ".json")).string();
  }
  Finished run(std::vector<std::string> args) {
    args.insert(args.begin(), "run");
    return run_osharness(args, dir_.path(), std::chrono::seconds(60));
  }

  TempDir dir_;
};

TEST_F(SelectionCliTest, ParamBeforeASpecFileDoesNotSwallowIt) {
  const auto f = run(
      {"--param", "level=9", path("boot-fast"), "--param", "extra=x", path("flood"), "--dry-run"});
  ASSERT_EQ(f.status.code, 0) << f.out << f.err;
  EXPECT_THAT(f.out, HasSubstr("#0  boot-fast  repeat 1/1  seed=7"));
  EXPECT_THAT(f.out, HasSubstr("osh.scenario=hello osh.seed=7 extra=x level=9\n"));
  EXPECT_THAT(f.out, HasSubstr("#1  flood  repeat 1/2"));
}

TEST_F(SelectionCliTest, ListShowsTheSpecsAFilterSelects) {
  const auto f =
      run({path("boot-fast"), path("boot-slow"), path("flood"), "--list", "--filter", "tag:slow"});
  ASSERT_EQ(f.status.code, 0) << f.out << f.err;
  EXPECT_EQ(f.out, "boot-slow  runs=3  tags=slow  " + path("boot-slow") +
                       "\nflood  runs=2  tags=slow,net  " + path("flood") + "\n");
  const auto by_name = run({path("boot-fast"), path("boot-slow"), path("flood"), "--list",
                            "--filter", "boot-*", "--filter", "tag:nightly"});
  ASSERT_EQ(by_name.status.code, 0) << by_name.out << by_name.err;
  EXPECT_THAT(by_name.out, HasSubstr("boot-fast  runs=1"));
  EXPECT_THAT(by_name.out, HasSubstr("boot-slow  runs=3"));
  EXPECT_THAT(by_name.out, Not(HasSubstr("flood")));
  EXPECT_THAT(by_name.err, HasSubstr("--filter \"tag:nightly\" matches no spec"));
}

TEST_F(SelectionCliTest, AFilterSelectingNothingIsAUsageError) {
  const auto f = run({path("boot-fast"), path("flood"), "--dry-run", "--filter", "tag:nightly"});
  EXPECT_EQ(f.status.code, 64);
  EXPECT_THAT(f.err, HasSubstr("selects none of the 2 specs (names: boot-fast, flood; tags: "
                               "net, quick, slow)"));
}

TEST_F(SelectionCliTest, AReportUrlThatCouldBreakTheSummaryIsAUsageError) {
  const auto f = run({path("boot-fast"), "--dry-run", "--report-url", "https://x/a b"});
  EXPECT_EQ(f.status.code, 64);
  EXPECT_THAT(f.err, HasSubstr("\"https://x/a b\": a URL may not hold spaces"));
}

TEST_F(SelectionCliTest, DryRunPrintsEveryRunWithItsSeedAndWritesNothing) {
  const auto out = dir_.path() / "out";
  const auto f = run({path("boot-slow"), path("flood"), "--dry-run", "--out", out.string()});
  ASSERT_EQ(f.status.code, 0) << f.out << f.err;
  // Seeds of a spec's runs are its seed + repeat index; flood draws its seeds at each run.
  EXPECT_THAT(f.out, HasSubstr("#0  boot-slow  repeat 1/3  seed=40  kernel="));
  EXPECT_THAT(f.out, HasSubstr("#1  boot-slow  repeat 2/3  seed=41  "));
  EXPECT_THAT(f.out, HasSubstr("#2  boot-slow  repeat 3/3  seed=42  "));
  EXPECT_THAT(f.out, HasSubstr("#4  flood  repeat 2/2  seed=random  "));
  EXPECT_THAT(f.out, HasSubstr("osh.seed=random level=1"));
  EXPECT_THAT(f.out, HasSubstr("5 runs of 2 specs; nothing was started"));
  EXPECT_FALSE(std::filesystem::exists(out));
  // A shard's dry run shows its part, with the runs' indexes in the whole campaign.
  const auto shard = run({path("boot-slow"), path("flood"), "--dry-run", "--shard", "2/2"});
  ASSERT_EQ(shard.status.code, 0) << shard.out << shard.err;
  EXPECT_THAT(shard.out, HasSubstr("runs of 2 specs"));
  EXPECT_THAT(shard.out, Not(HasSubstr("5 runs")));
}

}  // namespace
}  // namespace osh::cli::testing
