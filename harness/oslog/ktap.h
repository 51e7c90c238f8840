#pragma once
// KTAP v1 and TAP 13/14 test results in a console log (Linux's Documentation/dev-tools/ktap.rst),
// read the way the kernel's own kunit_tool reads them (tools/testing/kunit/kunit_parser.py), so
// that counts and statuses agree with it: the KTAP lines are isolated from the rest of the
// console (the prefix before "KTAP version" is cut from every line after it), nesting comes
// from "# Subtest:" headers and plans, and a test its plan announces but that never reported is
// CRASHED. One difference, on purpose: "not ok ... # TODO" is SKIPPED (TAP says a TODO failure is
// not a failure; kunit_tool counts it as one).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace osh::oslog {

enum class KtapStatus { Success, Failure, Skipped, Crashed, NoTests, FailureToParse };
std::string_view to_string(KtapStatus status);  // kunit_tool's names: "SUCCESS", "TEST_CRASHED"

struct KtapCounts {
  int passed = 0, failed = 0, crashed = 0, skipped = 0, errors = 0;
  int total() const { return passed + failed + crashed + skipped; }
  KtapStatus status() const;
  void add(KtapStatus status);
  void add(const KtapCounts& other);
};

struct KtapTest {
  std::string name;
  KtapStatus status = KtapStatus::Crashed;  // until its result line says otherwise
  std::optional<int> expected_count;        // its plan, when it has one
  std::string directive;                    // "SKIP ...", "TODO ..." from its result line
  uint64_t line = 0;                        // console line of its result (0: none)
  std::vector<KtapTest> subtests;
  std::vector<std::string> diagnostics;  // lines between results: "# ..." and other output
  std::vector<std::string> errors;       // what kunit_tool would complain about
  KtapCounts counts;
};

// Picks the KTAP lines out of console lines as they come.
class KtapExtractor {
 public:
  void add_line(uint64_t line_no, std::string_view line);
  struct Line {
    uint64_t line_no;
    std::string text;
  };
  const std::vector<Line>& lines() const { return lines_; }

 private:
  bool started_ = false;
  bool ended_ = false;
  size_t prefix_ = 0;
  std::vector<Line> lines_;
};

// The whole run as kunit_tool's parse_run_tests gives it: a "main" test whose subtests are the
// suites; FailureToParse with an error when the console held no KTAP at all.
KtapTest parse_ktap(const std::vector<KtapExtractor::Line>& lines);

}  // namespace osh::oslog
