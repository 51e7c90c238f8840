// Fault records in the campaign journal (docs/inject.md): written live from the runs' threads,
// read back by `osharness report`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "harness/campaign/campaign.h"
#include "harness/campaign/journal.h"

namespace osh::campaign {
namespace {

class JournalFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("osh-journal-fault-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(JournalFaultTest, RunsJournallingAtOnceWriteWholeRecords) {
  const std::string padding(3000, 'x');  // records longer than a pipe buffer or a page
  {
    Journal journal(dir_ / "journal.jsonl");
    std::vector<std::jthread> runs;
    for (int run = 0; run < 4; ++run)
      runs.emplace_back([&, run] {
        for (int id = 1; id <= 50; ++id)
          journal.append(
              {{"record", "fault"}, {"run", run}, {"fault", {{"id", id}, {"pad", padding}}}});
      });
  }
  const auto contents = read_journal(dir_ / "journal.jsonl");
  EXPECT_TRUE(contents.warnings.empty());
  ASSERT_EQ(contents.records.size(), 200u);
  std::vector<int> next(4, 1);
  for (const auto& r : contents.records) {
    const int run = r["run"];
    EXPECT_EQ(r["fault"]["id"], next[run]++) << "records of one run stay in order";
  }
}

TEST_F(JournalFaultTest, ACampaignWithFaultRecordsReadsBack) {
  {
    Journal j(dir_ / "journal.jsonl");
    j.append({{"record", "campaign"}, {"harness_version", "t"}});
    j.append(
        {{"record", "fault"}, {"run", 0}, {"seed", 5}, {"fault", {{"id", 1}, {"type", "kill"}}}});
    j.append({{"record", "fault"}, {"run", 0}, {"heal", {{"running", true}}}});
    RunResult r;
    r.name = "kill";
    r.seed = 5;
    auto rec = to_json(r);
    rec["record"] = "run";
    j.append(rec);
    j.append({{"record", "end"}, {"finished_unix_ms", 1}, {"interrupted", false}});
  }
  const auto outcome = read_campaign(dir_ / "journal.jsonl");
  ASSERT_EQ(outcome.runs.size(), 1u);
  EXPECT_EQ(outcome.runs[0].seed, 5u);
  EXPECT_TRUE(outcome.info.finished);
  EXPECT_TRUE(outcome.info.warnings.empty());
}

}  // namespace
}  // namespace osh::campaign
