// `osharness report --history` through the binary, on recorded output folders (journals written
// as `osharness run` writes them): the trend files, and the errors for folders it cannot use.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/tests/osharness_process.h"
#include "reports/tests/report_fixtures.h"

namespace osh::cli::testing {
namespace {

using ::testing::HasSubstr;

class HistoryCli : public ::testing::Test {
 protected:
  // An output folder of a 20-run campaign started `day` days after the first, `failing` in
  // every ten runs failing; `finished`: whether its journal has the end record.
  std::filesystem::path nightly(const std::string& name, int day, bool finished = true) {
    auto o = reports::testing::many_runs(20, 0);
    o.info.started_unix_ms += day * 86'400'000LL;
    o.info.finished = finished;
    const auto dir = dir_.path() / name;
    std::filesystem::create_directories(dir);
    reports::testing::write_journal(o, dir / "journal.jsonl");
    return dir;
  }
  Finished history(const std::vector<std::filesystem::path>& dirs, bool with_out = true) {
    std::vector<std::string> args{"report", "--history"};
    for (const auto& d : dirs) args.push_back(d.string());
    if (with_out) args.insert(args.end(), {"--out", (dir_.path() / "trend").string()});
    return run_osharness(args, dir_.path(), std::chrono::seconds(60));
  }
  TempDir dir_;
};

TEST_F(HistoryCli, WritesTheTrendOfEveryFolderInStartOrder) {
  const auto wed = nightly("wed", 2), mon = nightly("mon", 0), tue = nightly("tue", 1);
  const auto f = history({wed, mon, tue});
  ASSERT_EQ(f.status.code, 0) << f.out << f.err;
  const auto out = dir_.path() / "trend";
  const auto j = read_json(out / "history.json");
  ASSERT_EQ(j["campaigns"].size(), 3u);
  EXPECT_EQ(j["campaigns"][0]["folder"], mon.string());
  EXPECT_EQ(j["campaigns"][1]["folder"], tue.string());
  EXPECT_EQ(j["campaigns"][2]["folder"], wed.string());
  EXPECT_EQ(j["campaigns"][0]["runs"], 20);
  const auto page = read_file(out / "history.html");
  EXPECT_THAT(page, HasSubstr("3 campaigns"));
  EXPECT_THAT(page, HasSubstr("data-chart-id=\"history."));
  EXPECT_THAT(read_file(out / "history.md"), HasSubstr("## osharness history"));
  EXPECT_THAT(f.out, HasSubstr("history.html"));
}

TEST_F(HistoryCli, NamesAFolderThatIsNotAnOutputFolder) {
  const auto mon = nightly("mon", 0);
  std::filesystem::create_directories(dir_.path() / "photos");
  auto f = history({mon, dir_.path() / "photos"});
  EXPECT_EQ(f.status.code, 65) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr((dir_.path() / "photos").string() + " holds no journal.jsonl"));
  f = history({mon, dir_.path() / "gone"});
  EXPECT_EQ(f.status.code, 65) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr((dir_.path() / "gone").string() + " is not a folder"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "trend" / "history.html"));
}

TEST_F(HistoryCli, NamesAnIncompleteCampaignAndHowToFinishIt) {
  const auto mon = nightly("mon", 0), tue = nightly("tue", 1, false);
  const auto f = history({mon, tue});
  EXPECT_EQ(f.status.code, 65) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr(tue.string() + " holds an incomplete campaign (no end record"));
  EXPECT_THAT(f.err, HasSubstr("osharness run --resume " + tue.string()));
}

TEST_F(HistoryCli, NeedsOut) {
  const auto f = history({nightly("mon", 0)}, false);
  EXPECT_EQ(f.status.code, 64) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr("--out"));
}

}  // namespace
}  // namespace osh::cli::testing
