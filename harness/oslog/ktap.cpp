#include "harness/oslog/ktap.h"

#include <regex>

namespace osh::oslog {
namespace {

// Compiled when a log is first read for KTAP, not at every start of osharness, as static
// initializers (docs/performance.md, "A short start").
struct Expressions {
  std::regex ktap_start{R"(KTAP version ([0-9]+)$)"};
  std::regex tap_start{R"(TAP version ([0-9]+)$)"};
  // Inside the KTAP lines a version line must start the line: "# TAP version 13" is a kselftest
  // diagnostic.
  std::regex ktap_start_line{R"(^\s*KTAP version ([0-9]+)$)"};
  std::regex tap_start_line{R"(^\s*TAP version ([0-9]+)$)"};
  std::regex ktap_end{
      R"(\s*(List of all partitions:|Kernel panic - not syncing: VFS:|reboot: System halted))"};
  std::regex result{R"(^\s*(ok|not ok) ([0-9]+) (- )?([^#]*)( # .*)?$)"};
  std::regex result_directive{R"(^\s*(ok|not ok) ([0-9]+) (- )?(.*) # (SKIP|TODO)(.*)$)",
                              std::regex::icase};
  std::regex header{R"(^\s*# Subtest: (.*)$)"};
  std::regex plan{R"(^\s*1\.\.([0-9]+))"};
};

const Expressions& expr() {
  static const Expressions compiled;
  return compiled;
}

class Lines {
 public:
  explicit Lines(const std::vector<KtapExtractor::Line>& lines) : lines_(lines) {}
  bool empty() const { return next_ >= lines_.size(); }
  const std::string& peek() const { return lines_[next_].text; }
  uint64_t line_no() const { return lines_[next_].line_no; }
  std::string pop() { return lines_[next_++].text; }

 private:
  const std::vector<KtapExtractor::Line>& lines_;
  size_t next_ = 0;
};

bool matches(const Lines& lines, const std::regex& re) {
  return !lines.empty() && std::regex_search(lines.peek(), re);
}

std::vector<std::string> parse_diagnostic(Lines& lines) {
  std::vector<std::string> log;
  while (!lines.empty() && !matches(lines, expr().result) && !matches(lines, expr().header) &&
         !matches(lines, expr().ktap_start_line) && !matches(lines, expr().tap_start_line))
    log.push_back(lines.pop());
  return log;
}

bool parse_ktap_header(Lines& lines) {
  if (!matches(lines, expr().ktap_start_line) && !matches(lines, expr().tap_start_line))
    return false;
  lines.pop();
  return true;
}

bool parse_test_header(Lines& lines, KtapTest& test) {
  std::smatch m;
  if (lines.empty() || !std::regex_search(lines.peek(), m, expr().header)) return false;
  test.name = m[1].str();
  lines.pop();
  return true;
}

void parse_test_plan(Lines& lines, KtapTest& test) {
  std::smatch m;
  if (lines.empty() || !std::regex_search(lines.peek(), m, expr().plan)) return;
  test.expected_count = std::stoi(m[1].str());
  lines.pop();
}

bool peek_test_name_match(const Lines& lines, const KtapTest& test) {
  std::smatch m;
  if (lines.empty() || !std::regex_search(lines.peek(), m, expr().result)) return false;
  return m[4].str() == test.name;
}

std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

bool parse_test_result(Lines& lines, KtapTest& test, int expected_num) {
  std::smatch m, directive;
  if (lines.empty() || !std::regex_search(lines.peek(), m, expr().result)) return false;
  test.line = lines.line_no();
  const std::string line = lines.pop();
  const bool has_directive = std::regex_search(line, directive, expr().result_directive);
  test.name = has_directive ? directive[4].str() : m[4].str();
  const int num = std::stoi(m[2].str());
  if (num != expected_num)
    test.errors.push_back("expected test number " + std::to_string(expected_num) + " but found " +
                          std::to_string(num));
  const bool ok = m[1].str() == "ok";
  if (has_directive) {
    std::string word = directive[5].str();
    for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    test.directive = trim_right(word + directive[6].str());
    const bool todo = word == "TODO";
    test.status = !todo || !ok ? KtapStatus::Skipped : KtapStatus::Success;
  } else {
    test.status = ok ? KtapStatus::Success : KtapStatus::Failure;
  }
  return true;
}

void bubble_up(KtapTest& test) {
  for (const auto& t : test.subtests) test.counts.add(t.counts);
  test.counts.errors += static_cast<int>(test.errors.size());
  if (test.counts.total() == 0) {
    test.counts.add(test.status);
  } else if (test.counts.status() == KtapStatus::Crashed) {
    test.status = KtapStatus::Crashed;
  }
}

KtapTest parse_test(Lines& lines, int expected_num, std::vector<std::string> log, bool is_subtest) {
  KtapTest test;
  test.diagnostics = std::move(log);
  bool parent = true;
  if (!is_subtest) {
    test.name = "main";
    parse_ktap_header(lines);
    parse_test_plan(lines, test);
  } else {
    // A nested test opens with a KTAP version line, a "# Subtest:" header, or both.
    const bool ktap_line = parse_ktap_header(lines);
    const bool header = parse_test_header(lines, test);
    parent = ktap_line || header;
    if (parent) parse_test_plan(lines, test);
  }
  for (int num = 1; parent && (!test.expected_count || num <= *test.expected_count); ++num) {
    auto sub_log = parse_diagnostic(lines);
    if (lines.empty() || (peek_test_name_match(lines, test) && is_subtest)) {
      if (test.expected_count && num <= *test.expected_count) {
        // The plan announced it, the log ended (or the suite reported) first: it crashed.
        test.errors.push_back("missing expected subtest " + std::to_string(num));
        KtapTest missing;
        missing.name = "missing subtest " + std::to_string(num);
        missing.diagnostics = std::move(sub_log);
        missing.counts.add(KtapStatus::Crashed);
        test.subtests.push_back(std::move(missing));
        continue;
      }
      test.diagnostics.insert(test.diagnostics.end(), sub_log.begin(), sub_log.end());
      break;
    }
    test.subtests.push_back(parse_test(lines, num, std::move(sub_log), true));
  }
  if (is_subtest) {
    auto more = parse_diagnostic(lines);
    test.diagnostics.insert(test.diagnostics.end(), more.begin(), more.end());
    if (!test.name.empty() && !peek_test_name_match(lines, test)) {
      test.errors.push_back("missing subtest result line");
    } else {
      parse_test_result(lines, test, expected_num);
    }
  }
  if (parent && test.subtests.empty() &&
      (test.status == KtapStatus::Crashed || test.status == KtapStatus::Success)) {
    test.status = KtapStatus::NoTests;
    test.errors.push_back("0 tests run");
  }
  bubble_up(test);
  return test;
}

}  // namespace

std::string_view to_string(KtapStatus status) {
  switch (status) {
    case KtapStatus::Success:
      return "SUCCESS";
    case KtapStatus::Failure:
      return "FAILURE";
    case KtapStatus::Skipped:
      return "SKIPPED";
    case KtapStatus::Crashed:
      return "TEST_CRASHED";
    case KtapStatus::NoTests:
      return "NO_TESTS";
    case KtapStatus::FailureToParse:
      return "FAILURE_TO_PARSE_TESTS";
  }
  return "?";
}

KtapStatus KtapCounts::status() const {
  if (total() == 0) return KtapStatus::NoTests;
  if (crashed) return KtapStatus::Crashed;  // a crash outranks failures
  if (failed) return KtapStatus::Failure;
  if (passed) return KtapStatus::Success;
  return KtapStatus::Skipped;
}

void KtapCounts::add(KtapStatus status) {
  switch (status) {
    case KtapStatus::Success:
      ++passed;
      break;
    case KtapStatus::Failure:
      ++failed;
      break;
    case KtapStatus::Skipped:
      ++skipped;
      break;
    case KtapStatus::NoTests:
      break;
    case KtapStatus::Crashed:
    case KtapStatus::FailureToParse:
      ++crashed;
      break;
  }
}

void KtapCounts::add(const KtapCounts& other) {
  passed += other.passed;
  failed += other.failed;
  crashed += other.crashed;
  skipped += other.skipped;
  errors += other.errors;
}

void KtapExtractor::add_line(uint64_t line_no, std::string_view raw) {
  if (ended_) return;
  std::string line(raw);
  while (!line.empty() &&
         (line.back() == '\r' || line.back() == '\n' || line.back() == ' ' || line.back() == '\t'))
    line.pop_back();
  if (!started_) {
    std::smatch m;
    for (const auto* re : {&expr().ktap_start, &expr().tap_start}) {
      if (!std::regex_search(line, m, *re)) continue;
      const std::string word = re == &expr().ktap_start ? "KTAP version" : "TAP version";
      prefix_ = line.find(word);
      started_ = true;
      lines_.push_back({line_no, line.substr(prefix_)});
      return;
    }
    return;
  }
  if (std::regex_search(line, expr().ktap_end)) {
    ended_ = true;
    return;
  }
  line.erase(0, std::min(prefix_, line.size()));
  line.erase(0, line.find_first_not_of(" \t"));
  lines_.push_back({line_no, line.find_first_not_of(" \t") == std::string::npos ? "" : line});
}

KtapTest parse_ktap(const std::vector<KtapExtractor::Line>& lines) {
  if (lines.empty()) {
    KtapTest none;
    none.name = "<missing>";
    none.status = KtapStatus::FailureToParse;
    none.errors.push_back("could not find any KTAP output");
    none.counts.errors = 1;
    return none;
  }
  Lines stream(lines);
  KtapTest main = parse_test(stream, 0, {}, false);
  if (main.status != KtapStatus::NoTests) main.status = main.counts.status();
  return main;
}

}  // namespace osh::oslog
