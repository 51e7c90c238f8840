// Whole logs: the generated log against its known counts, real Linux and KUnit console logs
// (all noise), unreadable files, and the text and JSON reports of `osharness parse`.
#include "harness/marker/scan_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/base/errors.h"
#include "harness/marker/console_log_gen.h"
#include "harness/marker/scan_report.h"
#include "harness/marker/tests/test_support.h"

namespace osh::marker {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

class TempFile {
 public:
  explicit TempFile(const std::string& name)
      : path_(fs::temp_directory_path() / ("osh_marker_" + std::to_string(::getpid()) + name)) {}
  ~TempFile() { fs::remove(path_); }
  const fs::path& path() const { return path_; }
  void write(const std::string& bytes) const { std::ofstream(path_, std::ios::binary) << bytes; }

 private:
  fs::path path_;
};

void expect_counts(const MarkerCounts& got, const MarkerCounts& want) {
  EXPECT_EQ(got.bytes, want.bytes);
  EXPECT_EQ(got.lines, want.lines);
  EXPECT_EQ(got.total, want.total);
  EXPECT_EQ(got.lost, want.lost);
  EXPECT_EQ(got.corrupt, want.corrupt);
  EXPECT_EQ(got.malformed, want.malformed);
  EXPECT_EQ(got.noise_lines, want.noise_lines);
  EXPECT_EQ(got.boots, want.boots);
}

TEST(ScanFile, GeneratedLogGivesTheCountsItWasBuiltWith) {
  for (const bool crlf : {false, true}) {
    LogGenOptions options;
    options.bytes = 3 << 20;
    options.seed = crlf ? 7 : 8;
    options.markers_per_boot = 3000;
    options.fault_rate = 0.01;
    options.crlf = crlf;
    TempFile file(".log");
    LogGenResult expected;
    {
      std::ofstream out(file.path(), std::ios::binary);
      expected = generate_console_log(testing::test_schema(), options, out);
    }
    ASSERT_GT(expected.expected.lost, 5u);
    ASSERT_GT(expected.expected.corrupt, 5u);
    ASSERT_GT(expected.expected.malformed, 5u);
    ASSERT_GT(expected.expected.boots, 2u);
    StreamOptions stream_options;
    stream_options.max_problems_kept = 100000;
    const ScanSummary summary = scan_file(file.path(), testing::test_schema(), stream_options);
    expect_counts(summary.counts, expected.expected);
    EXPECT_EQ(summary.markers, expected.markers);
    // Every corrupt and malformed line is reported on the line where it was written.
    std::vector<std::pair<uint64_t, std::string>> want, got;
    for (const auto& f : expected.faults) {
      if (f.kind != "lost") want.emplace_back(f.line_no, f.kind);
    }
    for (const auto& p : summary.problems) {
      got.emplace_back(p.line_no, p.kind == LineKind::Corrupt ? "corrupt" : "malformed");
    }
    EXPECT_EQ(got, want);
  }
}

// The log of the 75% figures in docs/performance.md, smaller: three lines in four are markers
// of rayos's schema (which requires seq and CRC), every one valid, and the counts are exact.
TEST(ScanFile, GeneratedLogWithAChosenShareOfValidMarkers) {
  const Schema schema = Schema::load(OSH_RAYOS_SCHEMA);
  LogGenOptions options;
  options.bytes = 2 << 20;
  options.marker_fraction = 0.75;
  options.fault_rate = 0;
  TempFile file(".log");
  LogGenResult expected;
  {
    std::ofstream out(file.path(), std::ios::binary);
    expected = generate_console_log(schema, options, out);
  }
  EXPECT_TRUE(expected.faults.empty());
  EXPECT_NEAR(double(expected.expected.total) / double(expected.expected.lines), 0.75, 0.01);
  const ScanSummary summary = scan_file(file.path(), schema);
  expect_counts(summary.counts, expected.expected);
  EXPECT_EQ(summary.markers, expected.markers);
  EXPECT_TRUE(summary.problems.empty());
  EXPECT_TRUE(scan_clean(summary));
}

TEST(ScanFile, GeneratorIsDeterministic) {
  LogGenOptions options;
  options.bytes = 200000;
  options.seed = 42;
  std::ostringstream a, b;
  generate_console_log(testing::test_schema(), options, a);
  generate_console_log(testing::test_schema(), options, b);
  EXPECT_EQ(a.str(), b.str());
  options.seed = 43;
  std::ostringstream c;
  generate_console_log(testing::test_schema(), options, c);
  EXPECT_NE(a.str(), c.str());
}

// Real console logs written by Linux and KUnit hold no markers: every line is noise.
TEST(ScanFile, RealKernelLogsAreAllNoise) {
  size_t files = 0;
  for (const char* folder : {"linux-crash/report", "ktap/test_data"}) {
    const fs::path dir = testing::real_logs_dir() / folder;
    ASSERT_TRUE(fs::exists(dir)) << dir;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), {});
      const uint64_t lines =
          std::count(bytes.begin(), bytes.end(), '\n') + (!bytes.empty() && bytes.back() != '\n');
      const ScanSummary summary = scan_file(entry.path(), testing::test_schema());
      EXPECT_EQ(summary.counts.bytes, bytes.size()) << entry.path();
      EXPECT_EQ(summary.counts.lines, lines) << entry.path();
      EXPECT_EQ(summary.counts.noise_lines, lines) << entry.path();
      ++files;
    }
  }
  EXPECT_GT(files, 40u);
}

// A pipe cannot be mapped: it goes through the read loop, with lines split across reads.
TEST(ScanFile, FifoGivesTheSameCountsAsAFile) {
  LogGenOptions options;
  options.bytes = 1 << 20;
  options.fault_rate = 0.01;
  std::ostringstream out;
  const LogGenResult expected = generate_console_log(testing::test_schema(), options, out);
  const std::string log = std::move(out).str();
  TempFile fifo(".fifo");
  ASSERT_EQ(::mkfifo(fifo.path().c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(fifo.path(), std::ios::binary) << log; });
  const ScanSummary summary = scan_file(fifo.path(), testing::test_schema());
  writer.join();
  expect_counts(summary.counts, expected.expected);
}

// docs/schema.md: an unterminated last line holding a marker is malformed, whichever way the
// log is read (a small file, a file split into segments for two threads, a pipe).
TEST(ScanFile, AnUnterminatedMarkerAtTheEndIsMalformedWhateverTheReadPath) {
  const std::string tail = "RAYOS_SYS:HEARTBEAT:12";
  for (const size_t noise_lines : {size_t(0), size_t(20000)}) {
    std::string text;
    for (size_t i = 0; i < noise_lines; ++i) text += "noise ...\n";
    text += tail;
    TempFile file(".unterminated");
    file.write(text);
    for (const bool through_fifo : {false, true}) {
      ScanSummary summary;
      if (through_fifo) {
        TempFile fifo(".unterminated.fifo");
        ASSERT_EQ(::mkfifo(fifo.path().c_str(), 0600), 0);
        std::thread writer([&] { std::ofstream(fifo.path(), std::ios::binary) << text; });
        summary = scan_file(fifo.path(), testing::test_schema());
        writer.join();
      } else {
        summary = scan_file(file.path(), testing::test_schema());
      }
      SCOPED_TRACE(std::to_string(text.size()) + " bytes" + (through_fifo ? ", fifo" : ""));
      EXPECT_EQ(summary.counts.malformed, 1u);
      ASSERT_EQ(summary.problems.size(), 1u);
      EXPECT_THAT(summary.problems[0].reason, HasSubstr("truncated at end of stream"));
      EXPECT_FALSE(scan_clean(summary));
    }
  }
}

// Issue 18: `osharness parse /dev/urandom` never ended. A byte limit ends it, after the last whole
// line within the limit: the line the limit cuts is not counted, least of all as malformed.
TEST(ScanFile, AByteLimitStopsAtTheLastWholeLine) {
  TempFile file(".limited");
  file.write("RAYOS_BOOT:START\nRAYOS_BOOT:READY\nRAYOS_SYS:HEARTBEAT:12\n");
  const Schema schema = Schema::permissive("RAYOS");
  const ScanSummary cut = scan_file(file.path(), schema, {}, 40);
  EXPECT_TRUE(cut.stopped_at_limit);
  EXPECT_EQ(cut.counts.lines, 2u);
  EXPECT_EQ(cut.counts.bytes, 34u);
  EXPECT_EQ(cut.counts.total, 2u);
  EXPECT_TRUE(scan_clean(cut));
  const ScanSummary whole = scan_file(file.path(), schema, {}, 1000);
  EXPECT_FALSE(whole.stopped_at_limit);
  EXPECT_EQ(whole.counts.lines, 3u);

  const auto start = std::chrono::steady_clock::now();
  const ScanSummary random = scan_file("/dev/urandom", testing::test_schema(), {}, 1 << 20);
  EXPECT_TRUE(random.stopped_at_limit);
  EXPECT_LE(random.counts.bytes, 1u << 20);
  EXPECT_GT(random.counts.bytes, (1u << 20) - 64 * 1024);  // a line feed comes every ~256 bytes
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  std::ostringstream text;
  write_scan_text(text, random, {"/dev/urandom", "test", 5});
  EXPECT_THAT(text.str(), HasSubstr("stopped at the byte limit (--max-bytes)"));
  EXPECT_EQ(scan_json(random, {"/dev/urandom", "test", 5})["stopped_at_limit"], true);
}

TEST(ScanFile, UnreadableLog) {
  try {
    scan_file("/nonexistent/console.log", testing::test_schema());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/console.log: cannot open the console log: No "
                                    "such file or directory"));
  }
  EXPECT_THROW(scan_file(fs::temp_directory_path(), testing::test_schema()), InputError);
}

TEST(ScanFile, EmptyLog) {
  TempFile file(".empty");
  file.write("");
  const ScanSummary summary = scan_file(file.path(), testing::test_schema());
  EXPECT_EQ(summary.counts.lines, 0u);
  EXPECT_TRUE(scan_clean(summary));
}

class ScanReport : public ::testing::Test {
 protected:
  ScanSummary scan(const std::string& bytes, size_t max_problems = 50) {
    file_.write(bytes);
    StreamOptions options;
    options.max_problems_kept = max_problems;
    return scan_file(file_.path(), testing::test_schema(), options);
  }
  TempFile file_{".report"};
};

TEST_F(ScanReport, TextListsCountsMarkersAndProblemsInLineOrder) {
  const std::string log =
      testing::with_crc("BOOT:START:1", 0) + "\n" + testing::with_crc("SYS:HEARTBEAT:5", 1) + "\n" +
      testing::with_crc("SYS:HEARTBEAT:6", 4) + "\n" + "RAYOS_SYS:HEARTBEAT:x\n" + "noise\n";
  const ScanSummary summary = scan(log);
  EXPECT_FALSE(scan_clean(summary));
  std::ostringstream text;
  write_scan_text(text, summary, {"console.log", "test.schema.json", 50});
  EXPECT_EQ(text.str(),
            "console.log: " + std::to_string(log.size()) +
                " bytes, 5 lines (schema test.schema.json)\n"
                "  markers              3\n"
                "  lost                 2\n"
                "  corrupt              0\n"
                "  malformed            1\n"
                "  noise                1\n"
                "  boots                1\n"
                "\n"
                "markers by category:event\n"
                "  BOOT:START              1\n"
                "  SYS:HEARTBEAT           2\n"
                "\n"
                "problems (1 malformed, 0 corrupt, 1 sequence gaps with 2 lost)\n"
                "  line 3: lost: 2 markers never arrived: expected seq 2, got 4\n"
                "  line 4: malformed: field 1 (uptime_ms) of SYS:HEARTBEAT: expected u64 (decimal "
                "digits, no sign), got \"x\"\n"
                "      RAYOS_SYS:HEARTBEAT:x\n");
}

TEST_F(ScanReport, ProblemsBeyondTheLimit) {
  std::string log;
  for (int i = 0; i < 7; ++i) log += "RAYOS_SYS:HEARTBEAT:bad\n";
  const ScanSummary summary = scan(log, 3);
  std::ostringstream text;
  write_scan_text(text, summary, {"console.log", "s", 3});
  EXPECT_THAT(text.str(), HasSubstr("  line 3: malformed"));
  EXPECT_THAT(text.str(), Not(HasSubstr("  line 4: malformed")));
  EXPECT_THAT(text.str(), HasSubstr("  ... and 4 more\n"));
  const nlohmann::json json = scan_json(summary, {"console.log", "s", 3});
  EXPECT_EQ(json["problems"].size(), 3u);
  EXPECT_EQ(json["problems_not_shown"], 4);
  EXPECT_EQ(json["counts"]["malformed"], 7);
  EXPECT_EQ(json["clean"], false);
}

TEST_F(ScanReport, JsonOfACleanLog) {
  const ScanSummary summary =
      scan(testing::with_crc("BOOT:START:1", 0) + "\nnoise\n" + "RAYOS_BOOT:READY\n");
  EXPECT_TRUE(scan_clean(summary));
  const nlohmann::json json = scan_json(summary, {"c.log", "schema.json", 50});
  EXPECT_EQ(json["log"], "c.log");
  EXPECT_EQ(json["schema"], "schema.json");
  EXPECT_EQ(json["clean"], true);
  EXPECT_EQ(json["counts"]["lines"], 3);
  EXPECT_EQ(json["counts"]["markers"], 2);
  EXPECT_EQ(json["counts"]["noise"], 1);
  EXPECT_EQ(json["counts"]["boots"], 1);
  EXPECT_EQ(json["markers"]["BOOT:READY"], 1);
  EXPECT_TRUE(json["problems"].empty());
  std::ostringstream text;
  write_scan_text(text, summary, {"c.log", "schema.json", 50});
  EXPECT_THAT(text.str(), HasSubstr("\nno problems\n"));
}

}  // namespace
}  // namespace osh::marker
