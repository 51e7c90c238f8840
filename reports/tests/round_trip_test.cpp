// `osharness report <folder>` must regenerate, byte for byte, the reports that `osharness run`
// wrote at the end of the campaign: both come from the same writers, once from the outcome in
// memory and once from the journal read back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "reports/report_writer.h"
#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

using testing::GuestBytes;

void expect_same_reports(const campaign::CampaignOutcome& live, const std::filesystem::path& dir) {
  testing::write_journal(live, dir / "journal.jsonl");
  const auto replayed = campaign::read_campaign(dir / "journal.jsonl");
  const auto writers = builtin_writers();
  const auto written = write_reports(replayed, dir, writers);
  ASSERT_EQ(written.size(), writers.size());
  size_t i = 0;
  for (const auto& writer : writers) {
    std::ostringstream from_memory;
    writer->write(live, from_memory);
    EXPECT_EQ(written[i], dir / writer->file_name());
    EXPECT_TRUE(from_memory.str() == testing::read_file(written[i++]))
        << writer->file_name() << " differs once read back from the journal";
  }
}

TEST(RoundTrip, ReportRegeneratesByteIdenticalFilesFromTheJournal) {
  testing::TempDir dir;
  expect_same_reports(testing::synthetic_outcome(dir.path(), GuestBytes::Escaped), dir.path());
}

TEST(RoundTrip, AlsoForInterruptedAndEmptyCampaigns) {
  {
    testing::TempDir dir;
    auto o = testing::synthetic_outcome(dir.path(), GuestBytes::Escaped);
    o.runs.resize(4);
    o.info.interrupted = true;
    expect_same_reports(o, dir.path());
  }
  {
    testing::TempDir dir;
    campaign::CampaignOutcome o;
    o.out_dir = dir.path();
    o.info.harness_version = "0.1.0+test";
    o.info.finished = true;
    expect_same_reports(o, dir.path());
  }
}

TEST(RoundTrip, EveryFormatIsWritten) {
  std::vector<std::string> names;
  for (const auto& w : builtin_writers()) names.emplace_back(w->file_name());
  EXPECT_THAT(names,
              ::testing::ElementsAre("report.json", "junit.xml", "summary.md", "report.html"));
}

}  // namespace
}  // namespace osh::reports
