#include "harness/marker/log_diff.h"

#include <gtest/gtest.h>

#include <fstream>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh::marker {
namespace {

constexpr std::string_view kKey = "RAYOS_";

TEST(LogDiff, IdenticalLogsAreTheSame) {
  const std::string log = "boot\nRAYOS_BOOT:READY #1*00000000\nRAYOS_SYS:EXIT:0 #2*00000000\n";
  EXPECT_TRUE(diff_logs(log, log, kKey).same);
  EXPECT_TRUE(diff_logs("", "", kKey).same);
}

TEST(LogDiff, NamesTheFirstDifferingMarkerWithItsSeqAndLine) {
  const std::string a =
      "noise\nRAYOS_A:X:1 #1*aa\nnoise\nRAYOS_HELLO:STEP:0:100 #2*bb\nRAYOS_HELLO:STEP:1:5 #3*cc\n";
  const std::string b =
      "noise\nRAYOS_A:X:1 #1*aa\nnoise\nRAYOS_HELLO:STEP:0:170 #2*dd\nRAYOS_HELLO:STEP:1:5 #3*cc\n";
  const auto d = diff_logs(a, b, kKey);
  ASSERT_FALSE(d.same);
  EXPECT_TRUE(d.in_marker);
  EXPECT_EQ(d.offset, a.find("100") + 1);  // "1" agrees, "0" vs "7"
  EXPECT_EQ(d.a.line_no, 4u);
  EXPECT_EQ(d.b.line_no, 4u);
  EXPECT_EQ(d.a.seq, 2u);
  EXPECT_EQ(d.a.text, "RAYOS_HELLO:STEP:0:100 #2*bb");
  EXPECT_EQ(d.b.text, "RAYOS_HELLO:STEP:0:170 #2*dd");
}

TEST(LogDiff, ExtraNoiseShiftsLineNumbersButNotTheMarkerComparison) {
  // B has two more noise lines before the marker that differs: markers are compared in order,
  // each side with its own line number.
  const std::string a = "RAYOS_A:X:1 #1*aa\nRAYOS_A:X:2 #2*aa\nRAYOS_A:X:3 #3*aa\n";
  const std::string b = "RAYOS_A:X:1 #1*aa\nn1\nn2\nRAYOS_A:X:2 #2*aa\nRAYOS_A:X:9 #3*aa\n";
  const auto d = diff_logs(a, b, kKey);
  ASSERT_TRUE(d.in_marker);
  EXPECT_EQ(d.a.line_no, 3u);
  EXPECT_EQ(d.b.line_no, 5u);
  EXPECT_EQ(d.a.seq, 3u);
  EXPECT_EQ(d.b.text, "RAYOS_A:X:9 #3*aa");
}

TEST(LogDiff, ALogThatStopsEarlyEndsWithItsLineCount) {
  const std::string a = "x\nRAYOS_A:X:1 #1*aa\n";
  const std::string b = a + "y\nRAYOS_SYS:PANIC:PAGE_FAULT:rip=0x1 #2*ee\n";
  const auto d = diff_logs(a, b, kKey);
  ASSERT_TRUE(d.in_marker);
  EXPECT_TRUE(d.a.ended);
  EXPECT_EQ(d.a.line_no, 2u);
  EXPECT_FALSE(d.b.ended);
  EXPECT_EQ(d.b.line_no, 4u);
  EXPECT_EQ(d.b.seq, 2u);
}

TEST(LogDiff, NoiseOnlyDifferencesNameTheFirstDifferingLine) {
  const std::string a = "RAYOS_A:X:1 #1*aa\n\nboot 1.00\nRAYOS_A:X:2 #2*aa\n";
  const std::string b = "RAYOS_A:X:1 #1*aa\n\nboot 1.25\nRAYOS_A:X:2 #2*aa\n";
  const auto d = diff_logs(a, b, kKey);
  ASSERT_FALSE(d.same);
  EXPECT_FALSE(d.in_marker);
  EXPECT_EQ(d.a.line_no, 3u);
  EXPECT_EQ(d.a.text, "boot 1.00");
  EXPECT_EQ(d.b.text, "boot 1.25");
  EXPECT_FALSE(d.a.seq);
}

TEST(LogDiff, AnUnterminatedLastLineIsALine) {
  const auto d =
      diff_logs("RAYOS_A:X:1 #1*aa\nRAYOS_A:X:2 #2", "RAYOS_A:X:1 #1*aa\nRAYOS_A:X:3", kKey);
  ASSERT_TRUE(d.in_marker);
  EXPECT_EQ(d.a.text, "RAYOS_A:X:2 #2");
  EXPECT_EQ(d.a.seq, 2u);
  EXPECT_EQ(d.b.text, "RAYOS_A:X:3");
  EXPECT_EQ(d.b.line_no, 2u);
}

TEST(MappedFile, MapsAFileAndNamesAMissingOne) {
  test_support::TempDir dir;
  const auto path = dir.path() / "console.log";
  std::ofstream(path) << "abc\n";
  EXPECT_EQ(MappedFile(path).bytes(), "abc\n");
  std::ofstream(dir.path() / "empty.log").flush();
  EXPECT_EQ(MappedFile(dir.path() / "empty.log").bytes(), "");
  try {
    MappedFile missing(dir.path() / "nope.log");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("nope.log"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace osh::marker
