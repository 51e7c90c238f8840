// Kernel crash reports found while feed_file parses on two threads (KernelCrashes waits for the
// crash table's trigger words) are the ones feed() finds handing it every line.
#include "harness/campaign/kernel_crashes.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace osh::campaign {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> report_lines(const std::vector<oslog::KernelReport>& reports) {
  std::vector<std::string> out;
  for (const auto& r : reports) {
    out.push_back(r.title + " [" + r.kind + "] " + std::to_string(r.first_line) + "-" +
                  std::to_string(r.last_line) + " frames " + std::to_string(r.frames.size()));
    out.insert(out.end(), r.text.begin(), r.text.end());
  }
  return out;
}

TEST(KernelCrashes, FeedFileOnTwoThreadsFindsTheReportsFeedFinds) {
  const auto* table = oslog::CrashTable::builtin("linux");
  ASSERT_NE(table, nullptr);
  // syzkaller's test logs, one after the other, with marker lines (not noise: the scanner
  // skips them outside a report) put between their lines.
  std::string log;
  std::mt19937 rng(3);
  const std::filesystem::path dir = std::filesystem::path(OSH_REAL_LOGS) / "linux-crash/report";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::istringstream in(read_file(entry.path()));
    for (std::string line; std::getline(in, line);) {
      log += line + "\n";
      if (rng() % 10 == 0) log += "RAYOS_SYS:HEARTBEAT:1\n";
    }
  }
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  std::fwrite(log.data(), 1, log.size(), file);
  std::fflush(file);
  const marker::Schema schema = marker::Schema::permissive("RAYOS");

  marker::MarkerStream reference(schema);
  KernelCrashes expected(*table, WarningPolicy::Fail);
  reference.add_observer(&expected);
  reference.feed(log, 0);
  reference.finish(0);
  const std::vector<std::string> want = report_lines(expected.close());
  ASSERT_GE(expected.close().size(), 5u);
  for (const size_t segment : {size_t(1), size_t(100), size_t(4096), size_t(65536)}) {
    ASSERT_EQ(::lseek(fileno(file), 0, SEEK_SET), 0);
    marker::MarkerStream stream(schema);
    KernelCrashes got(*table, WarningPolicy::Fail);
    stream.add_observer(&got);
    stream.feed_file(fileno(file), 0, segment);
    stream.finish(0);
    EXPECT_EQ(report_lines(got.close()), want) << segment;
    EXPECT_EQ(stream.counts().lines, reference.counts().lines);
  }
  std::fclose(file);
}

}  // namespace
}  // namespace osh::campaign
