// The Linux crash table against syzkaller's own test logs (shared/corpora/linux-crash): each
// file states the expected title (TITLE:, other acceptable ones as ALT:) or none for a clean log.
// The expected titles come from those headers, never from this parser's output.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/oslog/crash_scanner.h"

namespace osh::oslog {
namespace {

struct CorpusLog {
  std::string name;
  std::string title;  // empty: the log holds no crash
  std::vector<std::string> alternatives;
  std::string log;
};

CorpusLog read_corpus_log(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  CorpusLog c{path.filename().string(), "", {}, ""};
  size_t pos = 0;
  while (pos < text.size()) {  // header lines up to the first empty line
    const size_t nl = text.find('\n', pos);
    const std::string line = text.substr(pos, nl == std::string::npos ? nl : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    if (line.empty()) break;
    if (line.starts_with("TITLE: ")) c.title = line.substr(7);
    if (line.starts_with("ALT: ")) c.alternatives.push_back(line.substr(5));
  }
  c.log = text.substr(pos);
  if (const size_t report = c.log.find("\nREPORT:\n"); report != std::string::npos)
    c.log.resize(report + 1);  // the expected report that follows is not console output
  return c;
}

std::vector<KernelReport> scan(const std::string& log) {
  CrashScanner scanner(*CrashTable::builtin("linux"));
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < log.size()) {
    const size_t nl = log.find('\n', pos);
    const size_t end = nl == std::string::npos ? log.size() : nl;
    scanner.add_line(++line_no, std::string_view(log).substr(pos, end - pos));
    pos = end + 1;
  }
  scanner.finish();
  return scanner.reports();
}

// The kind of report, without the frame: "KASAN: use-after-free Read".
std::string kind_of(const std::string& title) { return title.substr(0, title.find(" in ")); }

TEST(LinuxCrashCorpus, TitlesMatchSyzkallersExpectations) {
  const std::filesystem::path dir =
      std::filesystem::path(OSH_SHARED_CORPORA) / "linux-crash/report";
  if (!std::filesystem::is_directory(dir))
    GTEST_SKIP() << dir << " is missing: configure with -DOSH_SHARED_CORPORA=<shared/corpora>";
  int titled = 0, exact = 0, close = 0, missed = 0, clean = 0, false_alarms = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const CorpusLog c = read_corpus_log(entry.path());
    const auto reports = scan(c.log);
    if (c.title.empty()) {
      ++clean;
      if (!reports.empty()) {
        ++false_alarms;
        ADD_FAILURE() << c.name << ": clean log, but found \"" << reports[0].title << "\"";
      }
      continue;
    }
    ++titled;
    if (reports.empty()) {
      ++missed;
      ADD_FAILURE() << c.name << ": missed \"" << c.title << "\"";
      continue;
    }
    const std::string& got = reports[0].title;
    if (got == c.title) {
      ++exact;
      continue;
    }
    bool alternative = false;
    for (const auto& alt : c.alternatives) alternative = alternative || alt == got;
    if (alternative || kind_of(got) == kind_of(c.title)) {
      ++close;
      std::cout << c.name << ": close: \"" << got << "\" for \"" << c.title << "\"\n";
    } else {
      ADD_FAILURE() << c.name << ": \"" << got << "\", expected \"" << c.title << "\"";
    }
  }
  std::cout << "linux-crash corpus: " << exact << " of " << titled << " titles exact, " << close
            << " close, " << missed << " missed; " << clean << " clean logs, " << false_alarms
            << " false alarms\n";
  ASSERT_GT(titled, 0);
  EXPECT_EQ(missed, 0);
  EXPECT_EQ(false_alarms, 0);
  EXPECT_GE(exact * 10, titled * 9) << exact << " of " << titled << " exact";
}

}  // namespace
}  // namespace osh::oslog
