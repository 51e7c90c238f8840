#include "wpt/run_summary.h"

#include <algorithm>

#include "harness/base/json_reader.h"
#include "wpt/catalog.h"

namespace osh::wpt {
namespace {

bool is_pass(const std::string& status) { return status == "PASS" || status == "OK"; }

// Annotates `json` (a result or subtest) when `status` is not among `expected`; returns
// whether it was unexpected.
bool judge(nlohmann::json& json, const std::string& status,
           const std::vector<std::string>& expected) {
  if (std::find(expected.begin(), expected.end(), status) != expected.end()) return false;
  json["expected"] = expected.front();
  if (expected.size() > 1)
    json["known_intermittent"] = std::vector<std::string>(expected.begin() + 1, expected.end());
  return true;
}

}  // namespace

RunSummary summarize(const std::vector<TestResult>& results, const Expectations& expectations) {
  RunSummary summary;
  for (const auto& r : results) {
    StatusCounts& counts = summary.directories[test_directory(r.test)];
    ++counts.tests;
    nlohmann::json json = to_json(r);
    const auto count_unexpected = [&](const std::string& subtest, const std::string& status,
                                      const std::vector<std::string>& expected,
                                      const std::optional<std::string>& message) {
      ++counts.unexpected;
      if (is_pass(status)) ++counts.unexpected_pass;
      summary.unexpected.push_back({r.test, subtest, status, expected, message.value_or("")});
    };
    const auto test_expected = expectations.for_test(r.test);
    if (judge(json, r.status, test_expected))
      count_unexpected("", r.status, test_expected, r.message);
    for (size_t i = 0; i < r.subtests.size(); ++i) {
      const SubtestResult& s = r.subtests[i];
      ++counts.subtests[s.status];
      const auto expected = expectations.for_subtest(r.test, s.name);
      if (judge(json["subtests"][i], s.status, expected))
        count_unexpected(s.name, s.status, expected, s.message);
    }
    summary.results.push_back(std::move(json));
  }
  return summary;
}

nlohmann::json to_json(const StatusCounts& counts) {
  return {{"subtests", counts.subtests},
          {"tests", counts.tests},
          {"unexpected", counts.unexpected},
          {"unexpected_pass", counts.unexpected_pass}};
}

StatusCounts status_counts_from_json(const nlohmann::json& json, const std::string& origin) {
  JsonReader r(json, origin);
  StatusCounts c;
  if (const nlohmann::json* subtests = r.raw("subtests")) {
    if (!subtests->is_object()) r.fail("subtests", "expected an object of status counts");
    for (const auto& [status, n] : subtests->items()) {
      if (!n.is_number_unsigned()) r.fail("subtests", "expected counts");
      c.subtests[status] = n.get<uint64_t>();
    }
  }
  c.tests = r.unsigned_integer("tests").value_or(0);
  c.unexpected = r.unsigned_integer("unexpected").value_or(0);
  c.unexpected_pass = r.unsigned_integer("unexpected_pass").value_or(0);
  r.reject_unknown();
  return c;
}

}  // namespace osh::wpt
