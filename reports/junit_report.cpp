#include "reports/junit_report.h"

#include <ctime>
#include <map>
#include <pugixml.hpp>

#include "harness/base/escape.h"
#include "harness/campaign/repro_bundle.h"

namespace osh::reports {
namespace {

using campaign::Verdict;

std::string iso8601(int64_t unix_ms) {
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms / 1000.0);
  return buf;
}

struct Counts {
  int tests = 0, failures = 0, errors = 0;
  double time_ms = 0;
};

// Adds the verdict of one testcase; every text here comes from escape_text already.
void add_outcome(pugi::xml_node testcase, Verdict verdict, const std::string& reason,
                 const std::string& details, Counts& counts) {
  ++counts.tests;
  if (verdict == Verdict::Pass) return;
  const bool error = verdict == Verdict::InfraError;
  auto node = testcase.append_child(error ? "error" : "failure");
  node.append_attribute("message") = reason.c_str();
  node.append_attribute("type") = std::string(campaign::to_string(verdict)).c_str();
  node.text() = details.c_str();
  (error ? counts.errors : counts.failures)++;
}

pugi::xml_node add_suite(pugi::xml_node root, const std::string& name, int id,
                         const campaign::CampaignOutcome& outcome) {
  auto suite = root.append_child("testsuite");
  suite.append_attribute("name") = name.c_str();
  suite.append_attribute("id") = id;
  suite.append_attribute("package") = "osharness";
  suite.append_attribute("hostname") = escape_text(outcome.info.host).c_str();
  suite.append_attribute("timestamp") = iso8601(outcome.info.started_unix_ms).c_str();
  return suite;
}

void set_counts(pugi::xml_node suite, const Counts& c) {
  // Attributes in the order CI schemas list them, ahead of the children.
  suite.insert_attribute_before("tests", suite.attribute("id")) = c.tests;
  suite.insert_attribute_before("failures", suite.attribute("id")) = c.failures;
  suite.insert_attribute_before("errors", suite.attribute("id")) = c.errors;
  suite.insert_attribute_before("skipped", suite.attribute("id")) = 0;
  suite.insert_attribute_before("time", suite.attribute("id")) = seconds(c.time_ms).c_str();
}

std::string run_details(const campaign::RunResult& r, const std::filesystem::path& out_dir) {
  std::string d = std::string(campaign::to_string(r.verdict)) + ": " + r.reason + "\n";
  for (size_t i = 1; i < r.findings.size(); ++i)
    d += "also " + std::string(campaign::to_string(r.findings[i].verdict)) + ": " +
         r.findings[i].reason + "\n";
  if (r.crash)
    for (const auto& f : r.crash->frames) {
      char addr[32];
      std::snprintf(addr, sizeof addr, "0x%llx", static_cast<unsigned long long>(f.address));
      d += "  #" + std::to_string(f.index) + " " + addr + " " + f.symbol + "\n";
    }
  d += "seed " + std::to_string(r.seed) + "; console log " + r.console_log;
  if (!r.repro_bundle.empty())
    d += "; reproduce with: osharness repro " + (out_dir / r.repro_bundle).string();
  return d + "\n";
}

}  // namespace

void JunitReport::write(const campaign::CampaignOutcome& outcome, std::ostream& out) const {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child("testsuites");
  root.append_attribute("name") = "osharness";

  // Runs grouped by spec name, in first-seen order.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const campaign::RunResult*>> by_name;
  for (const auto& r : outcome.runs) {
    if (!by_name.contains(r.name)) order.push_back(r.name);
    by_name[r.name].push_back(&r);
  }
  const std::filesystem::path& out_dir = outcome.out_dir;
  Counts total;
  int id = 0;
  for (const auto& name : order) {
    auto suite = add_suite(root, name, id++, outcome);
    Counts counts;
    for (const auto* r : by_name[name]) {
      auto tc = suite.append_child("testcase");
      const std::string tc_name = name + " #" + std::to_string(r->index) + " seed=" + std::to_string(r->seed);
      tc.append_attribute("name") = tc_name.c_str();
      tc.append_attribute("classname") = ("osharness." + name).c_str();
      tc.append_attribute("time") = seconds(r->duration_ms).c_str();
      add_outcome(tc, r->verdict, r->reason, run_details(*r, out_dir), counts);
      counts.time_ms += r->duration_ms;
      if (r->verdict != Verdict::Pass && !r->console_log.empty()) {
        const auto tail = campaign::console_tail(out_dir / r->console_log, 2048);
        if (!tail.empty()) tc.append_child("system-out").text() = tail.c_str();
      }
    }
    set_counts(suite, counts);
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.errors += counts.errors;
    total.time_ms += counts.time_ms;

    // Tests the guest ran itself, one suite per run that had any.
    for (const auto* r : by_name[name]) {
      if (r->guest_tests.empty()) continue;
      auto gsuite = add_suite(root, name + " #" + std::to_string(r->index) + " guest tests", id++, outcome);
      Counts g;
      for (const auto& t : r->guest_tests) {
        auto tc = gsuite.append_child("testcase");
        tc.append_attribute("name") = t.name.c_str();
        tc.append_attribute("classname") = ("rayos." + name).c_str();
        tc.append_attribute("time") = seconds(t.duration_ms).c_str();
        add_outcome(tc, t.verdict, t.reason, t.reason + "\n", g);
        g.time_ms += t.duration_ms;
      }
      set_counts(gsuite, g);
      total.tests += g.tests;
      total.failures += g.failures;
      total.errors += g.errors;
    }
  }
  root.append_attribute("tests") = total.tests;
  root.append_attribute("failures") = total.failures;
  root.append_attribute("errors") = total.errors;
  root.append_attribute("time") = seconds(total.time_ms).c_str();
  doc.save(out, "  ", pugi::format_default | pugi::format_no_declaration, pugi::encoding_utf8);
}

}  // namespace osh::reports
