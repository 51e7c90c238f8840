#include "harness/campaign/lifecycle.h"

#include <algorithm>
#include <cctype>

#include "harness/base/escape.h"
#include "harness/campaign/starvation.h"

namespace osh::campaign {

Lifecycle::Lifecycle(const marker::Schema& schema, std::function<int64_t()> run_delay_ns)
    : prefix_(schema.prefix()),
      schema_origin_(schema.origin()),
      requires_ready_(schema.allows_unknown() || schema.find("BOOT", "READY") != nullptr),
      run_delay_ns_(std::move(run_delay_ns)) {}

void Lifecycle::on_line(const marker::ConsoleLine& line) {
  if (!first_line_) first_line_ = now(line.host_ns);
  ++lines_;
  if (first_lines_.size() < 3 && line.text.find_first_not_of(" \t\r") != std::string_view::npos)
    first_lines_.push_back(escape_text(line.text.substr(0, 100)));
}

void Lifecycle::on_marker(const marker::MarkerEvent& event) {
  if (event.is("BOOT", "START")) {
    if (!start_ns_) start_ns_ = event.host_ns;
    if (!event.fields.empty()) version_ = escape_text(event.fields[0].text);
  } else if (event.is("BOOT", "READY")) {
    if (!ready_) ready_ = now(event.host_ns);
  } else if (event.event == "COMPLETE" && event.fields.size() == 1 &&
             event.fields[0].text == "fail") {
    failed_completions_.emplace_back(event.category);
  } else if (event.is("SYS", "HEARTBEAT")) {
    ++heartbeats_;
    if (!event.fields.empty()) last_uptime_ms_ = event.fields[0].u;
  }
}

void Lifecycle::finish(int64_t spawn_ns, RunResult& result) const {
  const auto ms_since_spawn = [&](int64_t ns) { return static_cast<double>(ns - spawn_ns) / 1e6; };
  const auto corrected_ms = [&](const Moment& m) {
    return less_starvation_ms(m.host_ns - spawn_ns, m.run_delay_ns);
  };
  if (ready_) {
    result.boot_ms = corrected_ms(*ready_);
    result.boot_ms_raw = ms_since_spawn(ready_->host_ns);
    result.metrics["boot_ms"] = *result.boot_ms;
    result.metrics["boot_ms_raw"] = *result.boot_ms_raw;
  }
  if (first_line_) {
    result.metrics["first_output_ms"] = corrected_ms(*first_line_);
    result.metrics["first_output_ms_raw"] = ms_since_spawn(first_line_->host_ns);
  }
  result.metrics["heartbeats"] = static_cast<double>(heartbeats_);
  if (heartbeats_) result.metrics["guest_uptime_ms"] = static_cast<double>(last_uptime_ms_);
  if (!version_.empty()) result.analysis["guest_version"] = version_;
  // Only when nothing else ended the run: a crash, a hang or an interruption already says why
  // the guest never got ready.
  if (requires_ready_ && !ready_ && result.findings.empty()) {
    std::string showed = "the console was empty";
    if (lines_) {
      showed = "the console showed " + std::to_string(lines_) + " line(s), " +
               std::to_string(result.markers.total) + " of them " + prefix_ + "_ markers";
      for (const auto& l : first_lines_) showed += "; \"" + l + "\"";
    }
    result.findings.push_back({Verdict::Fail,
                               "the guest never printed " + prefix_ + "_BOOT:READY (expected by " +
                                   (schema_origin_.empty() ? "the schema" : schema_origin_) +
                                   "): " + showed,
                               "FAIL no BOOT:READY"});
  }
  for (const auto& category : failed_completions_) {
    std::string lower = category;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.findings.push_back(
        {Verdict::Fail,
         "the guest's own " + lower + " verdict is fail (" + category + ":COMPLETE:fail)",
         "FAIL " + lower + " guest-verdict"});
  }
}

void GuestTests::on_marker(const marker::MarkerEvent& event) {
  if (event.category != "TEST" || event.fields.empty()) return;
  const std::string name = escape_text(event.fields[0].text);
  if (event.event == "SUMMARY") {
    if (event.fields.size() >= 2) summary_ = {event.fields[0].u, event.fields[1].u};
    return;
  }
  if (event.event == "START") {
    tests_.push_back({name, event.host_ns, std::nullopt});
    return;
  }
  Verdict verdict;
  if (event.event == "PASS") {
    verdict = Verdict::Pass;
  } else if (event.event == "FAIL") {
    verdict = Verdict::Fail;
  } else {
    return;
  }
  // The newest unfinished test of that name; a result without a START still counts.
  Test* test = nullptr;
  for (auto it = tests_.rbegin(); it != tests_.rend() && !test; ++it)
    if (it->name == name && !it->outcome) test = &*it;
  if (!test) {
    tests_.push_back({name, event.host_ns, std::nullopt});
    test = &tests_.back();
  }
  test->outcome =
      GuestTest{name, verdict, event.fields.size() > 1 ? escape_text(event.fields[1].text) : "",
                static_cast<double>(event.host_ns - test->start_ns) / 1e6};
}

void GuestTests::finish(RunResult& result) const {
  uint64_t passed = 0, failed = 0;
  for (const auto& t : tests_) {
    GuestTest outcome = t.outcome.value_or(GuestTest{
        t.name, Verdict::Fail, "started but never finished (the guest stopped in it)", 0});
    if (outcome.verdict == Verdict::Pass) {
      ++passed;
    } else {
      ++failed;
      result.findings.push_back({Verdict::Fail,
                                 "guest test " + t.name + " failed: " + outcome.reason,
                                 "FAIL guest-test " + t.name});
    }
    result.guest_tests.push_back(std::move(outcome));
  }
  if (tests_.empty() && !summary_) return;
  result.metrics["guest_tests.passed"] = static_cast<double>(passed);
  result.metrics["guest_tests.failed"] = static_cast<double>(failed);
  if (summary_ && (summary_->first != passed || summary_->second != failed)) {
    result.findings.push_back({Verdict::Fail,
                               "TEST:SUMMARY says " + std::to_string(summary_->first) +
                                   " passed, " + std::to_string(summary_->second) +
                                   " failed, but the harness saw " + std::to_string(passed) +
                                   " passed, " + std::to_string(failed) + " failed",
                               "FAIL guest-test summary"});
  }
}

}  // namespace osh::campaign
