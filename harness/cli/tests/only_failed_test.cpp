// `osharness run --only-failed OUT` reruns exactly the runs that did not pass in OUT, with their
// seeds and indexes (label guest: boots rayos). The planted bug of rayos' `fault` scenario
// crashes by seed in deterministic mode, so a rerun crashes again exactly where the first did.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// (index, seed) of every run of report.json whose verdict is (or is not) `verdict`.
std::set<std::pair<int, uint64_t>> runs_of(const nlohmann::json& report, const std::string& verdict,
                                           bool equal) {
  std::set<std::pair<int, uint64_t>> runs;
  for (const auto& r : report["runs"])
    if ((r["verdict"] == verdict) == equal)
      runs.insert({r["index"].get<int>(), r["seed"].get<uint64_t>()});
  return runs;
}

TEST(OnlyFailed, RerunsTheFailedRunsWithTheirSeedsAndIndexes) {
  TempDir dir;
  const auto first = dir.path() / "first";
  const auto again = dir.path() / "again";
  const auto f =
      run_osharness({"run", "--kernel", rayos_kernel().string(), "--scenario", "fault", "--param",
                     "crash_pct=50", "--deterministic", "--seed", "1", "--repeat", "8", "--accel",
                     "tcg", "-j", "2", "-q", "--out", first.string()},
                    dir.path());
  const auto report = read_json(first / "report.json");
  const auto failed = runs_of(report, "PASS", false);
  // Half the seeds crash: both kinds are there, or the test shows nothing.
  ASSERT_FALSE(failed.empty()) << f.out << f.err;
  ASSERT_FALSE(runs_of(report, "PASS", true).empty()) << f.out << f.err;

  const auto dry = run_osharness({"run", "--only-failed", first.string(), "--dry-run"}, dir.path());
  ASSERT_EQ(dry.status.code, 0) << dry.out << dry.err;
  for (const auto& [index, seed] : failed)
    EXPECT_THAT(dry.out, HasSubstr("#" + std::to_string(index) + "  fault  repeat " +
                                   std::to_string(index + 1) + "/8  seed=" + std::to_string(seed)));
  EXPECT_THAT(dry.out, HasSubstr(std::to_string(failed.size()) +
                                 (failed.size() == 1 ? " run" : " runs") + " of 1 spec"));

  const auto rerun =
      run_osharness({"run", "--only-failed", first.string(), "-q", "--out", again.string(),
                     "--report-url", "https://ci.example.org/7/report.html"},
                    dir.path());
  EXPECT_EQ(rerun.status.code, 2) << rerun.out << rerun.err;  // CRASH
  const auto second = read_json(again / "report.json");
  EXPECT_EQ(runs_of(second, "CRASH", true), failed);
  EXPECT_EQ(second["runs"].size(), failed.size());
  EXPECT_THAT(read_file(again / "summary.md"),
              HasSubstr("Full report: <https://ci.example.org/7/report.html>"));
  // `report` regenerates summary.md with the URL it is given, or none.
  EXPECT_EQ(run_osharness({"report", again.string()}, dir.path()).status.code, 2);
  EXPECT_THAT(read_file(again / "summary.md"), Not(HasSubstr("Full report")));
  // A complete campaign of its own: --resume finds nothing missing.
  const auto resumed = run_osharness({"run", "--resume", again.string()}, dir.path());
  EXPECT_THAT(resumed.out, HasSubstr("holds a complete campaign"));

  // A filter that selects no spec with a failed run leaves nothing to rerun.
  const auto none =
      run_osharness({"run", "--only-failed", first.string(), "--filter", "other"}, dir.path());
  EXPECT_EQ(none.status.code, 0);
  EXPECT_THAT(none.out, HasSubstr("nothing to rerun"));
}

TEST(OnlyFailed, RefusesWhatWouldMakeAnotherCampaign) {
  TempDir dir;
  const auto f = run_osharness(
      {"run", "--only-failed", dir.path().string(), "--seed", "3", "--dry-run"}, dir.path());
  EXPECT_EQ(f.status.code, 64);
  EXPECT_THAT(f.err, HasSubstr("--only-failed DIR reruns DIR's failed runs"));
  const auto no_journal =
      run_osharness({"run", "--only-failed", dir.path().string(), "--dry-run"}, dir.path());
  EXPECT_EQ(no_journal.status.code, 65);
  EXPECT_THAT(no_journal.err, HasSubstr("holds no journal.jsonl"));
}

}  // namespace
}  // namespace osh::cli::testing
