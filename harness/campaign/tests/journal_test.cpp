#include "harness/campaign/journal.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <fstream>

#include "harness/base/errors.h"
#include "harness/campaign/campaign.h"

namespace osh::campaign {
namespace {

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("osh-journal-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(JournalTest, RecordsAreDurableLinesReadBackInOrder) {
  {
    Journal j(dir_ / "journal.jsonl");
    j.append({{"record", "campaign"}, {"n", 1}});
    j.append({{"record", "run"}, {"text", "bad \xff byte"}});
  }
  const auto c = read_journal(dir_ / "journal.jsonl");
  ASSERT_EQ(c.records.size(), 2u);
  EXPECT_EQ(c.records[0]["n"], 1);
  // Invalid UTF-8 from a guest never makes a record unreadable.
  EXPECT_EQ(c.records[1]["text"], "bad \xEF\xBF\xBD byte");
  EXPECT_TRUE(c.warnings.empty());
}

TEST_F(JournalTest, RefusesToOverwriteAnExistingJournal) {
  Journal first(dir_ / "journal.jsonl");
  EXPECT_THROW(Journal second(dir_ / "journal.jsonl"), InfraError);
}

TEST_F(JournalTest, ATornLastLineIsAWarningAndEverythingBeforeItSurvives) {
  std::ofstream(dir_ / "journal.jsonl")
      << "{\"record\":\"campaign\"}\n{\"record\":\"run\",\"index\":0,\"na";
  const auto c = read_journal(dir_ / "journal.jsonl");
  ASSERT_EQ(c.records.size(), 1u);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("journal.jsonl:2: torn last line"), std::string::npos);
}

TEST_F(JournalTest, DamageBeforeTheLastLineIsAnError) {
  std::ofstream(dir_ / "journal.jsonl")
      << "{\"record\":\"campaign\"}\nnot json\n{\"record\":\"end\"}\n";
  try {
    read_journal(dir_ / "journal.jsonl");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("journal.jsonl:2:2: invalid JSON"), std::string::npos)
        << e.what();
  }
}

TEST_F(JournalTest, AWriteThatFailsIsAnInfraErrorAndLeavesNoPartialRecord) {
  Journal j(dir_ / "journal.jsonl");
  j.append({{"record", "campaign"}});
  const auto size = std::filesystem::file_size(dir_ / "journal.jsonl");
  // A file-size limit makes the next write fail part-way, as a full disk would.
  struct rlimit old;
  ::getrlimit(RLIMIT_FSIZE, &old);
  const auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit tight = old;
  tight.rlim_cur = size + 10;
  ::setrlimit(RLIMIT_FSIZE, &tight);
  std::string error;
  try {
    j.append({{"record", "run"}, {"padding", std::string(100, 'x')}});
  } catch (const InfraError& e) {
    error = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_NE(error.find("cannot write journal"), std::string::npos) << error;
  EXPECT_NE(error.find("File too large"), std::string::npos) << error;
  EXPECT_EQ(std::filesystem::file_size(dir_ / "journal.jsonl"), size);
  EXPECT_EQ(read_journal(dir_ / "journal.jsonl").records.size(), 1u);
}

// Issue 18: after a SIGKILL `osharness report` said PASS, even with no run recorded. A journal
// without its end record, or with planned runs never recorded, is an incomplete campaign.
TEST_F(JournalTest, ACampaignKilledBeforeItsEndRecordIsIncomplete) {
  {
    Journal j(dir_ / "journal.jsonl");
    j.append({{"record", "campaign"}, {"harness_version", "t"}});
    RunResult r;
    r.name = "hello";
    r.seed = 5;
    auto rec = to_json(r);
    rec["record"] = "run";
    j.append(rec);
  }
  const auto outcome = read_campaign(dir_ / "journal.jsonl");
  ASSERT_EQ(outcome.runs.size(), 1u);
  EXPECT_EQ(outcome.runs[0].seed, 5u);
  EXPECT_FALSE(outcome.info.finished);
  ASSERT_EQ(outcome.info.incomplete.size(), 1u);
  EXPECT_EQ(outcome.info.incomplete[0].substr(0, 60),
            "no end record: the harness was killed (or its host went down");
}

// The plan in the campaign record names each run (index, spec, seed); a run without a record is
// missing, even when the end record is there (a harness stopped before starting it).
TEST_F(JournalTest, PlannedRunsWithoutARecordAreNamedAsMissing) {
  CampaignInfo info;
  info.plan.emplace();
  info.plan->specs.push_back({{"name", "a"}});
  info.plan->runs = {{0, 0, 40}, {0, 3, 43}, {0, 5, 45}};
  {
    Journal j(dir_ / "journal.jsonl");
    j.append(to_json(info));
    RunResult r;
    r.name = "a";
    r.index = 3;
    r.seed = 43;
    auto rec = to_json(r);
    rec["record"] = "run";
    j.append(rec);
    j.append(end_record(info));
  }
  const auto outcome = read_campaign(dir_ / "journal.jsonl");
  EXPECT_TRUE(outcome.info.finished);
  const auto missing = missing_runs(outcome);
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0].index, 0);
  EXPECT_EQ(missing[0].seed, 40u);
  EXPECT_EQ(missing[1].index, 5);
  EXPECT_EQ(missing[1].seed, 45u);
  ASSERT_EQ(outcome.info.incomplete.size(), 1u);
  EXPECT_EQ(outcome.info.incomplete[0],
            "2 of 3 planned runs never recorded (run index 0, 5): `osharness run --resume " +
                dir_.string() + "` runs them with their seeds");
}

// A run a stop signal cut short has a record, but its verdict is the stop's: --resume runs it
// again, and the record it then appends is the one that holds.
TEST_F(JournalTest, RunsInterruptedByAStopAreMissingUntilRunAgain) {
  CampaignInfo info;
  info.plan.emplace();
  info.plan->specs.push_back({{"name", "a"}});
  info.plan->runs = {{0, 0, 40}, {0, 1, 41}, {0, 2, 42}};
  auto run_record = [](int index, uint64_t seed, Verdict verdict, std::string signature) {
    RunResult r;
    r.name = "a";
    r.index = index;
    r.seed = seed;
    r.verdict = verdict;
    r.signature = std::move(signature);
    auto rec = to_json(r);
    rec["record"] = "run";
    return rec;
  };
  {
    Journal j(dir_ / "journal.jsonl");
    j.append(to_json(info));
    j.append(run_record(0, 40, Verdict::Pass, "PASS"));
    j.append(run_record(1, 41, Verdict::InfraError, "INFRA_ERROR interrupted"));
    j.append(run_record(2, 42, Verdict::InfraError, "INFRA_ERROR qemu-died"));
    info.interrupted = true;
    j.append(end_record(info));
  }
  auto outcome = read_campaign(dir_ / "journal.jsonl");
  const auto missing = missing_runs(outcome);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].index, 1);
  EXPECT_EQ(missing[0].seed, 41u);
  ASSERT_EQ(outcome.info.incomplete.size(), 1u);
  EXPECT_EQ(outcome.info.incomplete[0],
            "1 of 3 planned runs interrupted by a stop signal (run index 1), their verdict not "
            "the guest's: `osharness run --resume " +
                dir_.string() + "` runs them again with their seeds");

  {
    Journal j(dir_ / "journal.jsonl", Journal::Mode::Append);
    j.append({{"record", "resume"}, {"runs", 1}});
    j.append(run_record(1, 41, Verdict::Pass, "PASS"));
    info.interrupted = false;
    j.append(end_record(info));
  }
  outcome = read_campaign(dir_ / "journal.jsonl");
  ASSERT_EQ(outcome.runs.size(), 3u);
  EXPECT_EQ(outcome.runs[1].index, 1);
  EXPECT_EQ(outcome.runs[1].verdict, Verdict::Pass);
  EXPECT_TRUE(missing_runs(outcome).empty());
  EXPECT_TRUE(outcome.info.incomplete.empty());
}

TEST_F(JournalTest, AJournalThatIsAFolderIsAnIncompleteCampaign) {
  std::filesystem::create_directory(dir_ / "journal.jsonl");
  const auto outcome = read_campaign(dir_ / "journal.jsonl");
  EXPECT_TRUE(outcome.runs.empty());
  ASSERT_EQ(outcome.info.incomplete.size(), 1u);
  EXPECT_EQ(outcome.info.incomplete[0],
            (dir_ / "journal.jsonl").string() +
                " is a folder, not a journal: no record of the campaign can be read");
}

TEST_F(JournalTest, AnEmptyJournalHasNoCampaignRecord) {
  std::ofstream(dir_ / "journal.jsonl") << "{\"record\":\"camp";  // torn first line
  const auto outcome = read_campaign(dir_ / "journal.jsonl");
  ASSERT_EQ(outcome.info.incomplete.size(), 2u);
  EXPECT_EQ(outcome.info.incomplete[0].substr(0, (dir_ / "journal.jsonl").string().size() + 27),
            (dir_ / "journal.jsonl").string() + " has no campaign record: th");
}

// `run --resume` appends to the journal a killed harness left: its torn last line is cut first
// (else it would be a damaged line in the middle), and only the last end record ends it.
TEST_F(JournalTest, AppendingCutsATornLastLineAndAResumeRecordReopensTheCampaign) {
  {
    Journal j(dir_ / "journal.jsonl");
    j.append({{"record", "campaign"}});
    j.append(end_record({}));
  }
  std::ofstream(dir_ / "journal.jsonl", std::ios::app) << "{\"record\":\"ru";
  {
    Journal j(dir_ / "journal.jsonl", Journal::Mode::Append);
    j.append({{"record", "resume"}});
  }
  auto contents = read_journal(dir_ / "journal.jsonl");
  EXPECT_TRUE(contents.warnings.empty());
  ASSERT_EQ(contents.records.size(), 3u);
  EXPECT_FALSE(read_campaign(dir_ / "journal.jsonl").info.finished);
  {
    Journal j(dir_ / "journal.jsonl", Journal::Mode::Append);
    j.append(end_record({}));
  }
  const auto outcome = read_campaign(dir_ / "journal.jsonl");
  EXPECT_TRUE(outcome.info.finished);
  EXPECT_TRUE(outcome.info.incomplete.empty());
}

// A record that is not an object, or whose type is not a string, stops with the record named
// (a number here used to escape as a JSON type error).
TEST_F(JournalTest, RecordsOfTheWrongShapeNameTheRecord) {
  const auto error_for = [&](const std::string& text) {
    std::ofstream(dir_ / "journal.jsonl") << text;
    try {
      read_campaign(dir_ / "journal.jsonl");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string journal = (dir_ / "journal.jsonl").string();
  EXPECT_EQ(error_for("{\"record\":\"campaign\"}\n{\"record\":5}\n"),
            journal + ": record 2: record: expected a string, got number 5");
  EXPECT_EQ(error_for("[1]\n"),
            journal + ": record 1: document: expected an object, got array [1]");
  EXPECT_EQ(error_for("{\"record\":\"tea\"}\n"),
            journal +
                ": record 1: unknown record type \"tea\" (expected campaign, run, fault, "
                "resume or end)");
}

}  // namespace
}  // namespace osh::campaign
