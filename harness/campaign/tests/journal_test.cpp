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

TEST_F(JournalTest, ACampaignKilledBeforeItsEndRecordIsReadWithAWarning) {
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
  ASSERT_FALSE(outcome.info.warnings.empty());
  EXPECT_NE(outcome.info.warnings.back().find("no end record"), std::string::npos);
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
                ": record 1: unknown record type \"tea\" (expected campaign, run, fault "
                "or end)");
}

}  // namespace
}  // namespace osh::campaign
