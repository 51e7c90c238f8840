#pragma once
// KTAP/TAP results a guest prints (guest.ktap; harness/oslog/ktap.h) as the run's guest tests:
// one JUnit testcase per test case ("suite.case"), FAIL for a failed one, CRASH for one its plan
// announced that never reported (the kernel died in it), the counts kunit_tool would give as
// metrics, and the tree in analysis["ktap"].
#include "harness/campaign/run_result.h"
#include "harness/marker/marker_stream.h"
#include "harness/oslog/ktap.h"

namespace osh::campaign {

class KtapTests : public marker::MarkerObserver {
 public:
  void on_marker(const marker::MarkerEvent& /*event*/) override {}
  bool wants_markers() const override { return false; }
  void on_line(const marker::ConsoleLine& line) override {
    extractor_.add_line(line.line_no, line.text);
  }
  const oslog::KtapExtractor& extractor() const { return extractor_; }
  void finish(RunResult& result) const;

 private:
  oslog::KtapExtractor extractor_;
};

// The tree as JSON: name, status (kunit_tool's words), counts, directive, errors, subtests.
nlohmann::json ktap_json(const oslog::KtapTest& test);
// kunit_tool-like text: one line per test, indented by depth, then the totals.
void write_ktap_text(std::ostream& out, const oslog::KtapTest& test);

}  // namespace osh::campaign
