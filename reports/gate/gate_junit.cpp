#include "reports/gate/gate_junit.h"

#include <map>
#include <pugixml.hpp>

#include "harness/base/escape.h"
#include "reports/gate/gate_format.h"
#include "reports/report_format.h"

namespace osh::gate {
namespace {

struct Counts {
  int tests = 0, failures = 0, skipped = 0;
};

// Jenkins's junit.xsd has `skipped` on a <testsuite> only, not on <testsuites>: CI servers that
// validate refuse the file (reports/tests/data/junit.xsd).
enum class Level { Suites, Suite };

void set_counts(pugi::xml_node node, const Counts& c, Level level) {
  node.append_attribute("tests") = c.tests;
  node.append_attribute("failures") = c.failures;
  node.append_attribute("errors") = 0;
  if (level == Level::Suite) node.append_attribute("skipped") = c.skipped;
}

pugi::xml_node testcase(pugi::xml_node suite, const std::string& spec, const std::string& name) {
  auto tc = suite.append_child("testcase");
  tc.append_attribute("name") = escape_text(name).c_str();
  tc.append_attribute("classname") = ("gate." + escape_text(spec)).c_str();
  tc.append_attribute("time") = "0";
  return tc;
}

// `message` and `details` are built from escape_text'd pieces: their newlines are ours.
void fail(pugi::xml_node tc, const char* type, const std::string& message,
          const std::string& details, Counts& counts) {
  auto f = tc.append_child("failure");
  f.append_attribute("message") = message.c_str();
  f.append_attribute("type") = type;
  f.text() = details.c_str();
  ++counts.failures;
}

std::string values(const std::vector<double>& v) {
  std::string out;
  for (const double x : v) out += (out.empty() ? "" : " ") + reports::number(x);
  return out;
}

// What a CI server shows of a metric without opening its log: the medians with their unit,
// the shift and its interval, the change. Values are as escape_text'd as every other string.
void add_properties(pugi::xml_node tc, const MetricComparison& c) {
  auto props = tc.append_child("properties");
  const auto add = [&](const char* name, const std::string& value) {
    auto p = props.append_child("property");
    p.append_attribute("name") = name;
    p.append_attribute("value") = value.c_str();
  };
  if (!c.unit.empty()) add("unit", escape_text(c.unit));
  add("baseline_median", escape_text(with_unit(c.baseline_median, c.unit)));
  add("current_median", escape_text(with_unit(c.current_median, c.unit)));
  add("shift", escape_text(describe_shift(c)));
  if (c.tested) add("p_value", p_value(c.p_value));
  add("change", std::string(to_string(c.change)));
}

void add_metric(pugi::xml_node suite, const MetricComparison& c, Counts& counts) {
  auto tc = testcase(suite, c.spec, c.metric);
  ++counts.tests;
  add_properties(tc, c);
  const std::string unit = c.unit.empty() ? "" : " (" + escape_text(c.unit) + ")";
  const std::string reason = escape_text(c.reason);
  const std::string details = "baseline runs" + unit + ": " + values(c.baseline) +
                              "\ncurrent runs" + unit + ": " + values(c.current) + "\n" +
                              std::string(to_string(c.change)) + ": " + reason + "\n";
  if (c.change == Change::Regressed) {
    fail(tc, "REGRESSION",
         "median " + escape_text(with_unit(c.baseline_median, c.unit)) + " -> " +
             escape_text(with_unit(c.current_median, c.unit)) + ": " + reason,
         details, counts);
  } else if (c.change == Change::Inconclusive) {
    tc.append_child("skipped").append_attribute("message") = reason.c_str();
    ++counts.skipped;
  }
  if (c.change != Change::Regressed) tc.append_child("system-out").text() = details.c_str();
}

void add_verdicts(pugi::xml_node suite, const SpecVerdicts& v, Counts& counts) {
  auto tc = testcase(suite, v.spec, "verdicts");
  ++counts.tests;
  std::string details;
  for (const auto& f : v.current_failed)
    details += "run " + std::to_string(f.index) + " seed " + std::to_string(f.seed) + ": " +
               std::string(campaign::to_string(f.verdict)) + ": " + escape_text(f.reason) + "\n";
  const std::string summary = std::to_string(v.current_failed.size()) + " of " +
                              std::to_string(v.current_runs) + " runs did not pass; " +
                              std::to_string(v.baseline_failed) + " of " +
                              std::to_string(v.baseline_runs) + " in the baseline";
  if (v.new_failure())
    fail(tc, "NEW_FAILURE", summary, details, counts);
  else
    tc.append_child("system-out").text() = (summary + "\n" + details).c_str();
}

}  // namespace

void write_junit(const GateResult& r, std::ostream& out) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child("testsuites");
  root.append_attribute("name") = "osharness gate";

  std::map<std::string, std::vector<const MetricComparison*>> by_spec;
  for (const auto& c : r.comparisons) by_spec[c.spec].push_back(&c);
  Counts total;
  int id = 0;
  const auto add_suite = [&](const std::string& spec) {
    auto suite = root.append_child("testsuite");
    suite.append_attribute("name") = escape_text(spec).c_str();
    suite.append_attribute("id") = id++;
    suite.append_attribute("package") = "osharness.gate";
    return suite;
  };
  const auto close_suite = [&](pugi::xml_node suite, const Counts& c) {
    set_counts(suite, c, Level::Suite);
    total.tests += c.tests;
    total.failures += c.failures;
  };
  for (const auto& v : r.verdicts) {
    auto suite = add_suite(v.spec);
    Counts counts;
    add_verdicts(suite, v, counts);
    for (const auto* c : by_spec[v.spec]) add_metric(suite, *c, counts);
    close_suite(suite, counts);
  }
  for (const auto* list : {&r.only_in_baseline, &r.only_in_current}) {
    for (const auto& spec : *list) {
      auto suite = add_suite(spec);
      Counts counts;
      auto tc = testcase(suite, spec, "verdicts");
      ++counts.tests;
      ++counts.skipped;
      tc.append_child("skipped").append_attribute("message") =
          (list == &r.only_in_baseline ? "ran only in the baseline" : "ran only in current");
      close_suite(suite, counts);
    }
  }
  set_counts(root, total, Level::Suites);
  doc.save(out, "  ", pugi::format_default | pugi::format_no_declaration, pugi::encoding_utf8);
}

}  // namespace osh::gate
