#pragma once
// One run's WPT results judged against the expectations: each result as wptreport.json writes
// it (with `expected` and `known_intermittent` where the status was unexpected), the counts per
// WPT directory, and the unexpected results that fail the run. It is what the wpt hook stores in
// the run's analysis["wpt"], so that wptreport.json, the dashboard and JUnit are regenerated
// from the journal alone.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wpt/expectations.h"
#include "wpt/results.h"

namespace osh::wpt {

struct StatusCounts {
  // Subtests by status (PASS, FAIL, PRECONDITION_FAILED, NOTRUN, TIMEOUT).
  std::map<std::string, uint64_t> subtests;
  uint64_t tests = 0;
  uint64_t unexpected = 0;
  uint64_t unexpected_pass = 0;  // of `unexpected`: a PASS or OK where something else was expected
};

struct Unexpected {
  std::string test;
  std::string subtest;  // empty: the test's own status
  std::string status;
  std::vector<std::string> expected;
  std::string message;
};

struct RunSummary {
  nlohmann::json results = nlohmann::json::array();  // wptreport.json results[] entries
  std::map<std::string, StatusCounts> directories;   // "/url/" -> counts
  std::vector<Unexpected> unexpected;
};

RunSummary summarize(const std::vector<TestResult>& results, const Expectations& expectations);

nlohmann::json to_json(const StatusCounts& counts);
StatusCounts status_counts_from_json(const nlohmann::json& json, const std::string& origin);

}  // namespace osh::wpt
