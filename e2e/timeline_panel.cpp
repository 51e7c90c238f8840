#include "e2e/timeline_panel.h"

#include <fmt/format.h>

namespace osh::e2e {

std::optional<campaign::ReportPanel> timeline_panel(const campaign::CampaignOutcome& outcome) {
  campaign::ReportTable events{"Events (guest time since SCENARIO_START)",
                               {"run", "scenario", "event", "t (ms)"},
                               {false, false, false, true},
                               {}};
  campaign::ReportTable broken{
      "Timeline rules broken", {"run", "rule", "what happened"}, {false, false, false}, {}};
  campaign::ReportTable summary{
      "Timelines", {"run", "events", "violations"}, {false, true, true}, {}};
  for (const auto& run : outcome.runs) {
    const auto t = run.analysis.find("timeline");
    if (t == run.analysis.end() || !t->is_object()) continue;
    const std::string scenario = t->value("scenario", std::string());
    const auto& ev = t->value("events", nlohmann::json::array());
    const auto& vs = t->value("violations", nlohmann::json::array());
    for (const auto& e : ev) {
      events.rows.push_back({run.name, scenario, e.value("name", std::string()),
                             fmt::format("{:.3f}", e.value("t_ms", 0.0))});
    }
    for (const auto& v : vs)
      broken.rows.push_back(
          {run.name, v.value("rule", std::string()), v.value("message", std::string())});
    summary.rows.push_back({run.name, std::to_string(ev.size()), std::to_string(vs.size())});
  }
  if (summary.rows.empty()) return std::nullopt;
  campaign::ReportPanel panel;
  panel.id = "timelines";
  panel.title = "Timelines";
  panel.notes.push_back(
      "Integration scenarios' milestones as the guest timed them, and the spec's timeline rules "
      "each run broke. Each run's details draw its timeline, violations shaded.");
  if (!broken.rows.empty()) panel.tables.push_back(std::move(broken));
  panel.tables.push_back(std::move(events));
  panel.summary = std::move(summary);
  return panel;
}

}  // namespace osh::e2e
