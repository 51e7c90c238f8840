#include "inject/failure_analyzer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "harness/campaign/starvation.h"
#include "harness/stats/chart.h"

namespace osh::inject {
namespace {

constexpr double kDefaultDeadlineMs = 5000;

std::string text(const marker::MarkerEvent& e, size_t i) {
  return i < e.fields.size() ? std::string(e.fields[i].text) : std::string();
}

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", ms / 1e3);
  return buf;
}

double deadline_ms(const campaign::RunResult& result) {
  for (const auto& [key, value] : result.params) {
    if (key != "recovery_deadline_ms") continue;
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (end != value.c_str() && *end == '\0' && v > 0) return v;
  }
  return kDefaultDeadlineMs;
}

}  // namespace

FailureAnalyzer::Fault* FailureAnalyzer::open_fault(const std::string& target) {
  for (auto it = faults_.rbegin(); it != faults_.rend(); ++it)
    if (it->target == target && !it->complete_ns) return &*it;
  return nullptr;
}

void FailureAnalyzer::on_marker(const marker::MarkerEvent& e) {
  if (e.category != "FAILURE") return;
  if (!first_ns_) first_ns_ = e.host_ns;
  const auto cascading = [&] {
    cascading_.push_back(std::string(e.event) + ":" + text(e, 0) +
                         (e.fields.size() > 1 ? ":" + text(e, 1) : "") + " at line " +
                         std::to_string(e.line_no));
  };
  if (e.event == "INJECT") {
    faults_.push_back({text(e, 0), text(e, 1), e.host_ns, {}, {}, {}, {}, {}});
  } else if (e.event == "DETECTED") {
    Fault* f = open_fault(text(e, 1));
    if (!f) return cascading();
    if (!f->detected_ns) {
      f->detected_ns = e.host_ns;
      f->failure_type = text(e, 0);
    }
  } else if (e.event == "RECOVERY_START") {
    Fault* f = open_fault(text(e, 0));
    if (!f) return cascading();
    if (!f->recovery_start_ns) f->recovery_start_ns = e.host_ns;
  } else if (e.event == "RECOVERY_COMPLETE") {
    Fault* f = open_fault(text(e, 0));
    if (!f) return cascading();
    f->complete_ns = e.host_ns;
    f->result = text(e, 1);
  } else if (e.event == "TEST_COMPLETE") {
    test_result_ = text(e, 0);
  }
}

void FailureAnalyzer::finish(campaign::RunResult& result) {
  using campaign::Verdict;
  if (faults_.empty() && cascading_.empty() && !test_result_) return;
  const double deadline = deadline_ms(result);
  const auto fail = [&](const std::string& reason, const std::string& signature) {
    result.findings.push_back({Verdict::Fail, reason, "FAIL failure " + signature});
  };
  // Raw (host wall time) and less starvation, the latter only when a record says what to take.
  std::vector<double> recovery, recovery_less;
  std::map<std::string, double> scenario_max, scenario_max_less;
  size_t detected = 0, recovered = 0;
  nlohmann::json list = nlohmann::json::array();
  stats::Chart chart{.id = "failure.recovery",
                     .title = "Recovery time per injected fault",
                     .x_label = "time of injection",
                     .x_unit = "s",
                     .y_label = "INJECT to RECOVERY_COMPLETE",
                     .y_unit = "ms"};
  stats::Series series{"recovery", {}};
  const auto at_s = [&](int64_t ns) { return static_cast<double>(ns - *first_ns_) / 1e9; };
  const auto ms = [](int64_t from, int64_t to) { return static_cast<double>(to - from) / 1e6; };
  for (const Fault& f : faults_) {
    const std::string who = "fault " + f.scenario + " on target " + f.target;
    nlohmann::json j = {
        {"scenario", f.scenario}, {"target", f.target}, {"inject_s", at_s(f.inject_ns)}};
    if (f.detected_ns) {
      ++detected;
      j["failure_type"] = f.failure_type;
      j["detect_ms"] = ms(f.inject_ns, *f.detected_ns);
    } else {
      fail(who + " was never detected (no DETECTED for target " + f.target + ")",
           f.scenario + " undetected");
    }
    if (f.complete_ns) {
      const double took = ms(f.inject_ns, *f.complete_ns);
      j["recovery_ms"] = took;
      // The deadline is on the guest's share of the interval: the time QEMU waited for a host
      // CPU in it is the host's doing (docs/specs.md, "Criteria under load").
      double judged = took;
      std::string waited;
      if (starvation_) {
        const int64_t starved = starvation_->starved_ns_between(f.inject_ns, *f.complete_ns);
        judged = campaign::less_starvation_ms(*f.complete_ns - f.inject_ns, starved);
        j["recovery_starved_ms"] = static_cast<double>(starved) / 1e6;
        j["recovery_ms_less_starvation"] = judged;
        waited = " (" + seconds(took) + " of wall time, of which QEMU waited " +
                 seconds(static_cast<double>(starved) / 1e6) + " for a host CPU)";
        recovery_less.push_back(judged);
        auto& m = scenario_max_less[f.scenario];
        m = std::max(m, judged);
      }
      j["result"] = f.result;
      series.points.push_back({at_s(f.inject_ns), took});
      chart.shades.push_back(
          {at_s(f.inject_ns), at_s(*f.complete_ns), f.scenario + " " + f.target});
      if (f.result != "success") {
        fail(who + ": RECOVERY_COMPLETE says " + f.result + " after " + seconds(took),
             f.scenario + " recovery-" + f.result);
      } else if (judged > deadline) {
        fail(who + " recovered after " + seconds(judged) + ", past the deadline of " +
                 seconds(deadline) + waited,
             f.scenario + " deadline");
      } else {
        ++recovered;
      }
      recovery.push_back(took);
      auto& m = scenario_max[f.scenario];
      m = std::max(m, took);
    } else {
      fail(who + " never completed recovery (no RECOVERY_COMPLETE within the run; deadline " +
               seconds(deadline) + ")",
           f.scenario + " deadline");
    }
    list.push_back(std::move(j));
  }
  for (const auto& c : cascading_)
    fail("cascading failure: " + c + " concerns a target no FAILURE:INJECT named", "cascading");
  if (!test_result_) {
    fail("the guest never printed FAILURE:TEST_COMPLETE", "no-test-complete");
  } else if (*test_result_ != "pass") {
    fail("FAILURE:TEST_COMPLETE says " + *test_result_, "test-" + *test_result_);
  }

  auto& m = result.metrics;
  m["failure.injected"] = static_cast<double>(faults_.size());
  m["failure.detected"] = static_cast<double>(detected);
  m["failure.recovered"] = static_cast<double>(recovered);
  m["failure.cascading"] = static_cast<double>(cascading_.size());
  const auto summarise = [&](const std::vector<double>& values,
                             const std::map<std::string, double>& per_scenario,
                             const std::string& name) {
    if (values.empty()) return;
    double sum = 0;
    for (double v : values) sum += v;
    m["failure." + name + ".max"] = *std::max_element(values.begin(), values.end());
    m["failure." + name + ".mean"] = sum / static_cast<double>(values.size());
    for (const auto& [scenario, max] : per_scenario)
      m["failure." + scenario + "." + name + ".max"] = max;
  };
  summarise(recovery, scenario_max, "recovery_ms");
  summarise(recovery_less, scenario_max_less, "recovery_ms_less_starvation");
  result.analysis["failure"] = {{"deadline_ms", deadline}, {"faults", std::move(list)}};
  chart.series.push_back(std::move(series));
  if (!result.analysis.contains("charts")) result.analysis["charts"] = nlohmann::json::array();
  result.analysis["charts"].push_back(stats::to_json(chart));
}

campaign::AnalyzerInfo FailureAnalyzer::info() {
  using B = campaign::MetricInfo::Better;
  using C = campaign::MetricInfo::Clock;
  return {
      "failure",
      "guest failure-injection scenarios: every FAILURE:INJECT detected and recovered in time",
      {{"failure.injected", "", B::Neither, "FAILURE:INJECT markers"},
       {"failure.detected", "", B::Higher, "injected faults the guest detected"},
       {"failure.recovered", "", B::Higher,
        "faults recovered with success within the deadline (on recovery_ms_less_starvation)"},
       {"failure.cascading", "", B::Lower, "failures of targets nobody injected"},
       {"failure.recovery_ms.*", "ms", B::Lower,
        "INJECT to RECOVERY_COMPLETE in host wall time (max, mean)", C::HostWall},
       {"failure.recovery_ms_less_starvation.*", "ms", B::Lower,
        "the same less the time QEMU waited for a host CPU between the two markers (max, mean); "
        "the deadline is checked on it",
        C::HostLessStarvation},
       {"failure.*", "ms", B::Lower,
        "per scenario: <scenario>.recovery_ms.max (wall time), "
        "<scenario>.recovery_ms_less_starvation.max",
        C::HostWall}},
      [](const campaign::AnalyzerSetup& setup) {
        return std::make_unique<FailureAnalyzer>(setup.starvation);
      }};
}

}  // namespace osh::inject
