#pragma once
// WPT results from a run's markers: WPT:TEST / SUBTEST / TEST_END / DONE / ERROR
// (rayos.schema.json) mapped back onto the tests the host put in the data image, so that every
// result carries the test ID and subtest name WPT gives it. Anything that does not fit (an unknown
// index, a test whose CRC differs from the one built, a count the guest and host disagree on) is a
// problem the run reports; a test the guest started but never ended gets the status of how the run
// ended, and its subtests that never reported are NOTRUN.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/marker/marker_stream.h"
#include "wpt/catalog.h"

namespace osh::wpt {

struct SubtestResult {
  std::string name;
  std::string status;  // PASS FAIL PRECONDITION_FAILED NOTRUN
  std::optional<std::string> message;
};

struct TestResult {
  std::string test;
  std::string status;  // OK ERROR CRASH TIMEOUT SKIP
  std::optional<std::string> message;
  int64_t duration_ms = 0;
  std::vector<SubtestResult> subtests;
};

class ResultCollector final : public marker::MarkerObserver {
 public:
  // `tests` as they are in the image, with the CRC of each record (DataImage::test_crcs).
  ResultCollector(std::vector<WptTest> tests, std::vector<uint32_t> crcs);

  void on_marker(const marker::MarkerEvent& event) override;
  bool wants_lines() const override { return false; }

  struct Outcome {
    std::vector<TestResult> results;  // every test the guest started, in image order
    std::vector<std::string> problems;
    bool done = false;  // WPT:DONE arrived
  };
  // `unfinished_status`: what a test the guest never ended becomes (CRASH, TIMEOUT, ERROR).
  Outcome finish(const std::string& unfinished_status) const;

 private:
  struct Running {
    bool started = false;
    bool ended = false;
    std::string status;
    std::optional<std::string> message;
    int64_t duration_ms = 0;
    std::vector<std::optional<SubtestResult>> subtests;
  };
  void problem(const marker::MarkerEvent& event, const std::string& what);

  std::vector<WptTest> tests_;
  std::vector<uint32_t> crcs_;
  std::vector<Running> running_;
  std::vector<std::string> problems_;
  std::optional<std::string> guest_error_;
  bool done_ = false;
  uint64_t reported_[3] = {0, 0, 0};  // PASS, FAIL, PRECONDITION_FAILED as markers said
  std::optional<std::array<uint64_t, 3>> guest_counts_;
};

// The guest's %XX escapes decoded back to the message's bytes, then escaped for reports like
// every other guest text (harness/base/escape.h). Empty: no message (null in wptreport.json).
std::optional<std::string> decode_guest_message(std::string_view field);

// As wptreport.json writes them (without expectations).
nlohmann::json to_json(const TestResult& result);
// InputError naming `origin` when malformed (a journal the user edited).
TestResult test_result_from_json(const nlohmann::json& json, const std::string& origin);

}  // namespace osh::wpt
