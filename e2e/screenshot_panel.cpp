#include "e2e/screenshot_panel.h"

#include <fmt/format.h>

namespace osh::e2e {

std::optional<campaign::ReportPanel> screenshot_panel(const campaign::CampaignOutcome& outcome) {
  campaign::ReportPanel panel;
  panel.id = "screenshots";
  panel.title = "Screenshots";
  campaign::ReportTable table{"Screenshots against their goldens",
                              {"run", "screenshot", "result", "differing pixels", "max delta"},
                              {false, false, false, true, true},
                              {}};
  for (const auto& run : outcome.runs) {
    const auto s = run.analysis.find("screenshots");
    if (s == run.analysis.end() || !s->is_object()) continue;
    for (const auto& shot : s->value("shots", nlohmann::json::array())) {
      const std::string name = shot.value("name", std::string());
      const std::string status = shot.value("status", std::string());
      table.rows.push_back(
          {run.name, name, status,
           shot.contains("differing_pixels")
               ? std::to_string(shot["differing_pixels"].get<uint64_t>())
               : "",
           shot.contains("max_delta") ? std::to_string(shot["max_delta"].get<int>()) : ""});
      campaign::ReportImageRow row{fmt::format("{} — {}: {}", run.name, name, status), {}};
      for (const auto& [key, caption] : {std::pair{"golden", "golden"},
                                         {"actual", "this run"},
                                         {"diff", "diff (red: differs)"}}) {
        if (shot.contains(key)) row.images.push_back({caption, shot[key].get<std::string>()});
      }
      panel.image_rows.push_back(std::move(row));
    }
  }
  if (table.rows.empty()) return std::nullopt;
  panel.notes.push_back(
      "Each screenshot the guest asked for, taken with the VM's screendump, beside its golden "
      "(e2e/golden/) and their diff: the golden dimmed, differing pixels red, masked regions "
      "blue. `osharness e2e bless <output folder>` makes a run's screenshots the goldens.");
  panel.summary = table;
  panel.tables.push_back(std::move(table));
  return panel;
}

}  // namespace osh::e2e
