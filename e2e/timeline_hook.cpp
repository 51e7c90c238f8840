#include "e2e/timeline_hook.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/analysis/analysis_common.h"
#include "harness/base/escape.h"

namespace osh::e2e {
namespace {

constexpr std::string_view kCategory = "INTEGRATION";

std::string text_field(const marker::MarkerEvent& e, std::string_view name) {
  const marker::FieldValue* f = e.field(name);
  return f ? std::string(f->text) : std::string();
}

uint64_t t_us_of(const marker::MarkerEvent& e) {
  const marker::FieldValue* f = e.field("t_us");
  return f && f->kind == marker::FieldValue::Kind::Unsigned ? f->u : 0;
}

stats::Chart timeline_chart(const std::vector<TimelineEvent>& events,
                            const std::vector<Violation>& violations) {
  stats::Chart chart;
  chart.id = "timeline";
  chart.title = "Scenario timeline";
  chart.x_label = "guest time since SCENARIO_START";
  chart.x_unit = "ms";
  chart.y_label = "event";
  chart.y_unit = "#";
  stats::Series series{"events", {}};
  for (size_t i = 0; i < events.size(); ++i) {
    series.points.push_back({events[i].t_ms, static_cast<double>(i + 1)});
    chart.rules.push_back({events[i].t_ms, events[i].name});
  }
  chart.series.push_back(std::move(series));
  for (const auto& v : violations) {
    const double a = v.a_ms.value_or(v.b_ms.value_or(0));
    const double b = v.b_ms.value_or(a);
    chart.shades.push_back({std::min(a, b), std::max(a, b), "violated: " + v.rule});
  }
  return chart;
}

}  // namespace

double TimelineHook::since_start_ms(uint64_t t_us) const {
  const uint64_t zero = start_us_.value_or(0);
  return boot_offset_ms_ + (t_us >= zero ? static_cast<double>(t_us - zero) / 1000.0
                                         : -static_cast<double>(zero - t_us) / 1000.0);
}

void TimelineHook::on_marker(const marker::MarkerEvent& e) {
  if (e.category != kCategory) return;
  const uint64_t t_us = t_us_of(e);
  if (e.event == "SCENARIO_START") {
    // The guest's clock starts over at a reboot, and the time the VM spent resetting is no
    // guest time: the next boot goes on from the newest time the last one stamped.
    const bool reboot = start_us_.has_value();
    boot_offset_ms_ = reboot ? last_ms_ : 0;
    start_us_ = t_us;
    if (!reboot) scenario_ = text_field(e, "name");
    events_.push_back({reboot ? "reboot" : "start", boot_offset_ms_});
    return;
  }
  last_ms_ = std::max(last_ms_, since_start_ms(t_us));
  if (e.event == "MILESTONE") {
    events_.push_back({text_field(e, "name"), since_start_ms(t_us)});
  } else if (e.event == "VERIFY") {
    verifies_.push_back({text_field(e, "check"), text_field(e, "detail"),
                         text_field(e, "result") == "pass", since_start_ms(t_us)});
  } else if (e.event == "SCENARIO_COMPLETE") {
    completed_ = text_field(e, "result");
    events_.push_back({"complete", since_start_ms(t_us)});
  }
}

void TimelineHook::finish(campaign::RunResult& result) {
  const std::vector<Violation> violations =
      start_us_ ? check_timeline(spec_, events_) : std::vector<Violation>{};
  // Ahead of what was found before: a failed check names what went wrong, the guest's exit code
  // (found by the crash detector) only that something did.
  std::vector<campaign::Finding> found;
  auto fail = [&](std::string reason, std::string signature) {
    found.push_back({campaign::Verdict::Fail, std::move(reason), std::move(signature)});
  };
  if (!start_us_) {
    fail("timeline: the guest never printed INTEGRATION:SCENARIO_START",
         "FAIL timeline no_scenario_start");
  }
  nlohmann::json verifies = nlohmann::json::array();
  for (const auto& v : verifies_) {
    verifies.push_back({{"check", escape_text(v.check)},
                        {"pass", v.pass},
                        {"detail", escape_text(v.detail)},
                        {"t_ms", v.t_ms}});
    if (!v.pass) {
      fail(fmt::format("timeline: VERIFY {} failed at {:.3f} ms: {}", escape_text(v.check), v.t_ms,
                       escape_text(v.detail)),
           "FAIL verify " + escape_text(v.check));
    }
  }
  // After the failed checks: a check that failed is usually why a milestone came late or never.
  for (const auto& v : violations)
    fail("timeline: " + escape_text(v.message), "FAIL timeline " + escape_text(v.rule));
  if (start_us_ && !completed_) {
    fail("timeline: the scenario never printed INTEGRATION:SCENARIO_COMPLETE",
         "FAIL timeline no_scenario_complete");
  } else if (completed_ && *completed_ != "pass") {
    fail("timeline: the guest completed the scenario with " + escape_text(*completed_),
         "FAIL timeline scenario_" + escape_text(*completed_));
  }
  result.findings.insert(result.findings.begin(), found.begin(), found.end());
  result.metrics["timeline.violations"] = static_cast<double>(violations.size());
  result.metrics["timeline.verifies_failed"] = static_cast<double>(
      std::count_if(verifies_.begin(), verifies_.end(), [](const Verify& v) { return !v.pass; }));

  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : events_) events.push_back({{"name", escape_text(e.name)}, {"t_ms", e.t_ms}});
  nlohmann::json broken = nlohmann::json::array();
  for (const auto& v : violations) {
    nlohmann::json j = to_json(v);
    for (const char* key : {"rule", "a", "b", "message"})
      j[key] = escape_text(j[key].get<std::string>());
    broken.push_back(std::move(j));
  }
  result.analysis["timeline"] = {{"scenario", escape_text(scenario_)},
                                 {"events", std::move(events)},
                                 {"verifies", std::move(verifies)},
                                 {"violations", std::move(broken)}};
  if (!events_.empty()) analysis::add_chart(result.analysis, timeline_chart(events_, violations));
}

campaign::RunHookInfo timeline_hook_info() {
  return {"timeline",
          "Checks an integration scenario's milestones against the spec's timeline rules and "
          "its VERIFY checks (docs/e2e.md)",
          {{"timeline.violations", "", campaign::MetricInfo::Better::Lower,
            "timeline rules the run broke"},
           {"timeline.verifies_failed", "", campaign::MetricInfo::Better::Lower,
            "INTEGRATION:VERIFY checks that failed in the guest"}},
          [](const nlohmann::json& section, const std::string& origin, double) {
            auto config = std::make_shared<TimelineConfig>();
            config->spec = parse_timeline(section, origin);
            return std::shared_ptr<const campaign::HookConfig>(std::move(config));
          },
          [](const campaign::HookConfig& config, const campaign::HookSetup&) {
            return std::make_unique<TimelineHook>(static_cast<const TimelineConfig&>(config).spec);
          }};
}

}  // namespace osh::e2e
