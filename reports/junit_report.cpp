#include "reports/junit_report.h"

#include <cctype>
#include <cmath>
#include <map>
#include <pugixml.hpp>

#include "harness/campaign/repro_bundle.h"
#include "reports/escape_once.h"
#include "reports/report_format.h"

namespace osh::reports {
namespace {

using campaign::Verdict;

// XML 1.0 cannot hold control characters (not even as &#N;) nor U+FFFE and U+FFFF. escape_text
// turns the first into \xNN; the two noncharacters are valid UTF-8 and get the same here.
std::string xml_safe(std::string text) {
  for (size_t i = 0; (i = text.find("\xEF\xBF", i)) != std::string::npos;) {
    if (i + 2 < text.size() && (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) {
      text.replace(i, 3, text[i + 2] == '\xBE' ? "\\xef\\xbf\\xbe" : "\\xef\\xbf\\xbf");
      i += 12;
    } else {
      i += 2;
    }
  }
  return text;
}

// Every string in junit.xml comes through here: names from specs, reasons quoting the guest,
// anything a journal holds.
std::string xml_text(std::string_view text) { return xml_safe(escape_text_once(text)); }

std::string seconds(double ms) { return fixed(ms / 1000.0, 3); }

// JUnit times are non-negative decimals; a time that is not (a hand-edited journal) is left out
// of its testcase and of the sums rather than made up.
bool valid_time(double ms) { return std::isfinite(ms) && ms >= 0; }

void set_time(pugi::xml_node node, double ms) {
  if (valid_time(ms)) node.append_attribute("time") = seconds(ms).c_str();
}

struct Counts {
  int tests = 0, failures = 0, errors = 0;
  double time_ms = 0;
};

// Adds the verdict of one testcase; `details` is XML-safe already (see run_details).
void add_outcome(pugi::xml_node testcase, Verdict verdict, const std::string& reason,
                 const std::string& details, Counts& counts) {
  ++counts.tests;
  if (verdict == Verdict::Pass) return;
  const bool error = verdict == Verdict::InfraError;
  auto node = testcase.append_child(error ? "error" : "failure");
  node.append_attribute("message") = xml_text(reason).c_str();
  node.append_attribute("type") = std::string(campaign::to_string(verdict)).c_str();
  node.text() = details.c_str();
  (error ? counts.errors : counts.failures)++;
}

pugi::xml_node add_suite(pugi::xml_node root, const std::string& name, int id,
                         const campaign::CampaignOutcome& outcome) {
  auto suite = root.append_child("testsuite");
  suite.append_attribute("name") = xml_text(name).c_str();
  suite.append_attribute("id") = id;
  suite.append_attribute("package") = "osharness";
  suite.append_attribute("hostname") = xml_text(outcome.info.host).c_str();
  suite.append_attribute("timestamp") =
      utc_time(outcome.info.started_unix_ms, "%Y-%m-%dT%H:%M:%S").c_str();
  return suite;
}

// Whether the suite's runs were deterministic (docs/determinism.md): "true", "false" or "k of n".
void add_determinism(pugi::xml_node suite, const std::vector<const campaign::RunResult*>& runs) {
  size_t deterministic = 0;
  std::string reason;
  for (const auto* r : runs) {
    deterministic += r->deterministic ? 1 : 0;
    if (reason.empty()) reason = r->determinism;
  }
  const std::string value =
      deterministic == runs.size() ? "true"
      : deterministic == 0         ? "false"
                           : std::to_string(deterministic) + " of " + std::to_string(runs.size());
  auto properties = suite.append_child("properties");
  auto property = properties.append_child("property");
  property.append_attribute("name") = "deterministic";
  property.append_attribute("value") = value.c_str();
  if (!reason.empty()) {
    property = properties.append_child("property");
    property.append_attribute("name") = "determinism";
    property.append_attribute("value") = xml_text(reason).c_str();
  }
}

void set_counts(pugi::xml_node suite, const Counts& c) {
  // Attributes in the order CI schemas list them, ahead of the children.
  suite.insert_attribute_before("tests", suite.attribute("id")) = c.tests;
  suite.insert_attribute_before("failures", suite.attribute("id")) = c.failures;
  suite.insert_attribute_before("errors", suite.attribute("id")) = c.errors;
  suite.insert_attribute_before("skipped", suite.attribute("id")) = 0;
  suite.insert_attribute_before("time", suite.attribute("id")) = seconds(c.time_ms).c_str();
}

// The failure text: every finding, the crash frames and how to reproduce, one per line; each
// piece escaped on its own so that the line breaks stay.
std::string run_details(const campaign::RunResult& r, const std::filesystem::path& out_dir) {
  std::string d = std::string(campaign::to_string(r.verdict)) + ": " + xml_text(r.reason) + "\n";
  for (size_t i = 1; i < r.findings.size(); ++i)
    d += "also " + std::string(campaign::to_string(r.findings[i].verdict)) + ": " +
         xml_text(r.findings[i].reason) + "\n";
  if (r.crash)
    for (const auto& f : r.crash->frames) {
      char addr[32];
      std::snprintf(addr, sizeof addr, "0x%llx", static_cast<unsigned long long>(f.address));
      d += "  #" + std::to_string(f.index) + " " + addr + " " + xml_text(f.symbol) + "\n";
    }
  d += "seed " + std::to_string(r.seed) + "; console log " + xml_text(r.console_log);
  if (!r.repro_bundle.empty())
    d += "; reproduce with: osharness repro " + xml_text((out_dir / r.repro_bundle).string());
  return d + "\n";
}

// A run's identity from night to night: its spec, and which repeat when the spec repeats. The
// seed, the campaign index and the run folder change between nights and go into <properties>.
std::string identity(const campaign::RunResult& r) {
  return r.repeats > 1 ? r.name + " (repeat " + std::to_string(r.repeat) + ")" : r.name;
}

void add_properties(pugi::xml_node testcase, const campaign::RunResult& r,
                    const campaign::CampaignOutcome& outcome) {
  auto props = testcase.append_child("properties");
  const auto add = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    auto p = props.append_child("property");
    p.append_attribute("name") = name;
    p.append_attribute("value") = xml_text(value).c_str();
  };
  add("seed", std::to_string(r.seed));
  add("campaign_index", std::to_string(r.index));
  add("accel", r.accel);
  add("harness_version", outcome.info.harness_version);
  if (r.verdict != Verdict::Pass) add("signature", r.signature);
  if (!r.console_log.empty())
    add("run_folder", std::filesystem::path(r.console_log).parent_path().string());
  add("repro_bundle", r.repro_bundle);
}

// Guest tests are named by the OS that ran them ("rayos.<spec>", "lnxguest.<spec>") and, when
// the spec repeats, by the repeat: CI servers tell tests apart by classname and name alone.
std::string guest_classname(const campaign::RunResult& r) {
  std::string os = r.marker_prefix.empty() ? "guest" : r.marker_prefix;
  for (char& c : os) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  os += "." + r.name;
  return r.repeats > 1 ? os + ".repeat" + std::to_string(r.repeat) : os;
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
    add_determinism(suite, by_name[name]);
    Counts counts;
    for (const auto* r : by_name[name]) {
      auto tc = suite.append_child("testcase");
      tc.append_attribute("name") = xml_text(identity(*r)).c_str();
      tc.append_attribute("classname") = xml_text("osharness." + name).c_str();
      set_time(tc, r->duration_ms);
      add_properties(tc, *r, outcome);
      add_outcome(tc, r->verdict, r->reason, run_details(*r, out_dir), counts);
      if (valid_time(r->duration_ms)) counts.time_ms += r->duration_ms;
      if (r->verdict != Verdict::Pass) {
        const auto tail = campaign::run_console_tail(r->console_log, out_dir, 2048);
        if (!tail.empty()) tc.append_child("system-out").text() = xml_safe(tail).c_str();
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
      auto gsuite = add_suite(root, identity(*r) + " guest tests", id++, outcome);
      Counts g;
      for (const auto& t : r->guest_tests) {
        auto tc = gsuite.append_child("testcase");
        tc.append_attribute("name") = xml_text(t.name).c_str();
        tc.append_attribute("classname") = xml_text(guest_classname(*r)).c_str();
        set_time(tc, t.duration_ms);
        if (t.skipped) {
          tc.append_child("skipped").append_attribute("message") = xml_text(t.reason).c_str();
          ++g.tests;
        } else {
          add_outcome(tc, t.verdict, t.reason, xml_text(t.reason) + "\n", g);
        }
        if (valid_time(t.duration_ms)) g.time_ms += t.duration_ms;
      }
      set_counts(gsuite, g);
      total.tests += g.tests;
      total.failures += g.failures;
      total.errors += g.errors;
    }
  }
  // An incomplete campaign is an error of its own: CI must not read the runs present as all.
  if (!outcome.info.incomplete.empty()) {
    auto suite = add_suite(root, "campaign", id++, outcome);
    auto tc = suite.append_child("testcase");
    tc.append_attribute("name") = "campaign complete";
    tc.append_attribute("classname") = "osharness.campaign";
    std::string details;
    for (const auto& why : outcome.info.incomplete) details += xml_text(why) + "\n";
    Counts counts;
    add_outcome(tc, Verdict::InfraError, "campaign incomplete: " + outcome.info.incomplete.front(),
                details, counts);
    set_counts(suite, counts);
    total.tests += counts.tests;
    total.errors += counts.errors;
  }
  root.append_attribute("tests") = total.tests;
  root.append_attribute("failures") = total.failures;
  root.append_attribute("errors") = total.errors;
  root.append_attribute("time") = seconds(total.time_ms).c_str();
  doc.save(out, "  ", pugi::format_default | pugi::format_no_declaration, pugi::encoding_utf8);
}

}  // namespace osh::reports
