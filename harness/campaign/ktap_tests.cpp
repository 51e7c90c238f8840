#include "harness/campaign/ktap_tests.h"

#include <ostream>

#include "harness/base/escape.h"

namespace osh::campaign {
namespace {

std::string counts_text(const oslog::KtapCounts& c) {
  return std::to_string(c.passed) + " passed, " + std::to_string(c.failed) + " failed, " +
         std::to_string(c.crashed) + " crashed, " + std::to_string(c.skipped) + " skipped, " +
         std::to_string(c.errors) + " errors";
}

// Leaves become guest tests; their path names them ("suite.case").
void add_leaves(const oslog::KtapTest& test, const std::string& path, RunResult& result) {
  for (const auto& sub : test.subtests) {
    const std::string name = path.empty() ? sub.name : path + "." + sub.name;
    if (!sub.subtests.empty()) {
      add_leaves(sub, name, result);
      continue;
    }
    GuestTest t{escape_text(name), Verdict::Pass, "", 0};
    switch (sub.status) {
      case oslog::KtapStatus::Success:
        break;
      case oslog::KtapStatus::Skipped:
        t.skipped = true;
        t.reason = escape_text(sub.directive);
        break;
      case oslog::KtapStatus::NoTests:
        t.skipped = true;
        t.reason = "no tests run";
        break;
      case oslog::KtapStatus::Failure:
        t.verdict = Verdict::Fail;
        t.reason = "not ok" + (sub.line ? " (console line " + std::to_string(sub.line) + ")" : "");
        result.findings.push_back(
            {Verdict::Fail, "KTAP test " + t.name + " failed", "FAIL ktap " + t.name});
        break;
      case oslog::KtapStatus::Crashed:
      case oslog::KtapStatus::FailureToParse:
        t.verdict = Verdict::Crash;
        t.reason = "never reported: the plan announced it, the output ended first";
        result.findings.push_back({Verdict::Crash,
                                   "KTAP test " + t.name + " crashed (" + t.reason + ")",
                                   "CRASH ktap " + t.name});
        break;
    }
    result.guest_tests.push_back(std::move(t));
  }
}

void write_tree(std::ostream& out, const oslog::KtapTest& test, int depth) {
  for (const auto& sub : test.subtests) {
    out << std::string(static_cast<size_t>(depth) * 2, ' ') << "[" << oslog::to_string(sub.status)
        << "] " << escape_text(sub.name);
    if (!sub.directive.empty()) out << " # " << escape_text(sub.directive);
    for (const auto& e : sub.errors) out << " (" << escape_text(e) << ")";
    out << "\n";
    write_tree(out, sub, depth + 1);
  }
}

}  // namespace

void KtapTests::finish(RunResult& result) const {
  const oslog::KtapTest main = oslog::parse_ktap(extractor_.lines());
  result.analysis["ktap"] = ktap_json(main);
  const auto& c = main.counts;
  result.metrics["ktap.passed"] = c.passed;
  result.metrics["ktap.failed"] = c.failed;
  result.metrics["ktap.crashed"] = c.crashed;
  result.metrics["ktap.skipped"] = c.skipped;
  result.metrics["ktap.errors"] = c.errors;
  if (main.status == oslog::KtapStatus::FailureToParse) {
    result.findings.push_back({Verdict::Fail,
                               "guest.ktap is set but the console held no KTAP output (no "
                               "\"KTAP version 1\" or \"TAP version 13/14\" line)",
                               "FAIL ktap missing"});
    return;
  }
  add_leaves(main, "", result);
}

nlohmann::json ktap_json(const oslog::KtapTest& test) {
  nlohmann::json subtests = nlohmann::json::array();
  for (const auto& sub : test.subtests) subtests.push_back(ktap_json(sub));
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : test.errors) errors.push_back(escape_text(e));
  const auto& c = test.counts;
  nlohmann::json j = {{"name", escape_text(test.name)},
                      {"status", oslog::to_string(test.status)},
                      {"counts",
                       {{"passed", c.passed},
                        {"failed", c.failed},
                        {"crashed", c.crashed},
                        {"skipped", c.skipped},
                        {"errors", c.errors}}},
                      {"errors", errors},
                      {"subtests", subtests}};
  if (!test.directive.empty()) j["directive"] = escape_text(test.directive);
  if (test.line) j["line"] = test.line;
  if (test.expected_count) j["plan"] = *test.expected_count;
  return j;
}

void write_ktap_text(std::ostream& out, const oslog::KtapTest& test) {
  write_tree(out, test, 0);
  for (const auto& e : test.errors) out << "error: " << escape_text(e) << "\n";
  out << "KTAP: " << oslog::to_string(test.status) << "; " << counts_text(test.counts) << "\n";
}

}  // namespace osh::campaign
