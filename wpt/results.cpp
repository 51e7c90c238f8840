#include "wpt/results.h"

#include <array>
#include <cstdio>

#include "harness/base/escape.h"
#include "harness/base/json_reader.h"

namespace osh::wpt {
namespace {

int status_slot(std::string_view status) {
  if (status == "PASS") return 0;
  if (status == "FAIL") return 1;
  return 2;
}

std::optional<std::string> optional_string(JsonReader& r, std::string_view key) {
  const nlohmann::json* v = r.raw(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) r.fail(key, "expected a string or null");
  return v->get<std::string>();
}

}  // namespace

std::optional<std::string> decode_guest_message(std::string_view field) {
  if (field.empty()) return std::nullopt;
  std::string bytes;
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '%' && i + 2 < field.size() && hex(field[i + 1]) >= 0 &&
        hex(field[i + 2]) >= 0) {
      bytes += static_cast<char>(hex(field[i + 1]) * 16 + hex(field[i + 2]));
      i += 2;
    } else {
      bytes += field[i];
    }
  }
  return escape_text(bytes);
}

ResultCollector::ResultCollector(std::vector<WptTest> tests, std::vector<uint32_t> crcs)
    : tests_(std::move(tests)), crcs_(std::move(crcs)), running_(tests_.size()) {}

void ResultCollector::problem(const marker::MarkerEvent& event, const std::string& what) {
  problems_.push_back("console line " + std::to_string(event.line_no) + ": " + what);
}

void ResultCollector::on_marker(const marker::MarkerEvent& event) {
  if (event.category != "WPT") return;
  const auto u = [&](std::string_view name) {
    const marker::FieldValue* f = event.field(name);
    return f ? f->u : 0;
  };
  const auto text = [&](std::string_view name) {
    const marker::FieldValue* f = event.field(name);
    return f ? f->text : std::string_view();
  };
  if (event.event == "ERROR") {
    guest_error_ = escape_text(text("reason"));
    return;
  }
  if (event.event == "DONE") {
    done_ = true;
    guest_counts_ = {u("passed"), u("failed"), u("precondition_failed")};
    return;
  }
  if (event.event != "TEST" && event.event != "SUBTEST" && event.event != "TEST_END") return;
  const uint64_t index = u("test");
  if (index >= tests_.size()) {
    problem(event, "WPT test " + std::to_string(index) + " is not in the data image (it has " +
                       std::to_string(tests_.size()) + ")");
    return;
  }
  const WptTest& test = tests_[index];
  Running& run = running_[index];
  if (event.event == "TEST") {
    if (run.started) problem(event, test.id + " started twice");
    run.started = true;
    run.subtests.assign(test.subtests.size(), std::nullopt);
    char crc[16];
    std::snprintf(crc, sizeof crc, "%08x", crcs_[index]);
    if (text("crc") != crc || u("cases") != test.subtests.size()) {
      run.ended = true;
      run.status = "ERROR";
      run.message = "the guest read test " + std::to_string(index) + " with CRC " +
                    escape_text(text("crc")) + " and " + std::to_string(u("cases")) +
                    " cases, not as built (" + crc + ", " + std::to_string(test.subtests.size()) +
                    "): not this test's data";
      problem(event, test.id + ": " + *run.message);
    }
    return;
  }
  if (!run.started) {
    problem(event, test.id + ": a result before its WPT:TEST");
    return;
  }
  if (event.event == "SUBTEST") {
    const uint64_t sub = u("subtest");
    if (sub >= run.subtests.size()) {
      problem(event, test.id + ": subtest " + std::to_string(sub) + " does not exist (" +
                         std::to_string(run.subtests.size()) + " subtests)");
      return;
    }
    if (run.subtests[sub])
      problem(event, test.id + ": subtest " + std::to_string(sub) + " reported twice");
    const std::string status(text("status"));
    ++reported_[status_slot(status)];
    run.subtests[sub] =
        SubtestResult{test.subtests[sub].name, status, decode_guest_message(text("message"))};
    return;
  }
  // TEST_END; a test whose data did not match keeps its ERROR.
  if (run.ended && run.status == "ERROR" && run.message) return;
  run.ended = true;
  run.status = std::string(text("status"));
  run.message = decode_guest_message(text("message"));
  run.duration_ms = static_cast<int64_t>(u("duration_us") / 1000);
}

ResultCollector::Outcome ResultCollector::finish(const std::string& unfinished_status) const {
  Outcome out;
  out.problems = problems_;
  out.done = done_;
  if (guest_error_)
    out.problems.push_back("the guest could not run its WPT data image: " + *guest_error_);
  for (size_t t = 0; t < tests_.size(); ++t) {
    const Running& run = running_[t];
    if (!run.started) continue;
    TestResult r;
    r.test = tests_[t].id;
    r.status = run.ended ? run.status : unfinished_status;
    r.message = run.ended ? run.message
                          : std::optional<std::string>("the run ended (" + unfinished_status +
                                                       ") before this test did");
    r.duration_ms = run.duration_ms;
    for (size_t s = 0; s < run.subtests.size(); ++s) {
      if (run.subtests[s]) {
        r.subtests.push_back(*run.subtests[s]);
      } else if (!(run.ended && run.status == "ERROR")) {
        r.subtests.push_back({tests_[t].subtests[s].name, "NOTRUN",
                              std::string("the guest never reported this subtest")});
      }
    }
    out.results.push_back(std::move(r));
  }
  if (done_) {
    for (size_t t = 0; t < tests_.size(); ++t)
      if (!running_[t].started)
        out.problems.push_back(tests_[t].id + ": in the data image but never started");
    const std::array<uint64_t, 3> seen = {reported_[0], reported_[1], reported_[2]};
    if (guest_counts_ && *guest_counts_ != seen)
      out.problems.push_back(
          "WPT:DONE counts " + std::to_string((*guest_counts_)[0]) + " passed, " +
          std::to_string((*guest_counts_)[1]) + " failed, " + std::to_string((*guest_counts_)[2]) +
          " precondition-failed, but the markers said " + std::to_string(seen[0]) + ", " +
          std::to_string(seen[1]) + ", " + std::to_string(seen[2]) + " (lost or extra results)");
  }
  return out;
}

nlohmann::json to_json(const TestResult& result) {
  nlohmann::json subtests = nlohmann::json::array();
  for (const auto& s : result.subtests)
    subtests.push_back({{"name", s.name},
                        {"status", s.status},
                        {"message", s.message ? nlohmann::json(*s.message) : nlohmann::json()}});
  return {{"test", result.test},
          {"subsuite", ""},
          {"status", result.status},
          {"message", result.message ? nlohmann::json(*result.message) : nlohmann::json()},
          {"duration", result.duration_ms},
          {"subtests", std::move(subtests)}};
}

TestResult test_result_from_json(const nlohmann::json& json, const std::string& origin) {
  JsonReader r(json, origin);
  TestResult t;
  t.test = r.required(r.string("test"), "test");
  r.string("subsuite");
  t.status = r.required(r.string("status"), "status");
  t.message = optional_string(r, "message");
  t.duration_ms = r.integer("duration", 0, INT64_MAX).value_or(0);
  r.string("expected");
  r.strings("known_intermittent");
  for (JsonReader& s : r.objects("subtests")) {
    SubtestResult sub;
    sub.name = s.required(s.string("name"), "name");
    sub.status = s.required(s.string("status"), "status");
    sub.message = optional_string(s, "message");
    s.string("expected");
    s.strings("known_intermittent");
    s.reject_unknown();
    t.subtests.push_back(std::move(sub));
  }
  r.reject_unknown();
  return t;
}

}  // namespace osh::wpt
