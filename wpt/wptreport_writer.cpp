#include "wpt/wptreport_writer.h"

#include <ostream>

#include "wpt/campaign_results.h"

namespace osh::wpt {

bool WptReportWriter::applies(const campaign::CampaignOutcome& outcome) const {
  return collect_campaign_results(outcome).runs > 0;
}

void WptReportWriter::write(const campaign::CampaignOutcome& outcome, std::ostream& out) const {
  const CampaignResults c = collect_campaign_results(outcome);
  nlohmann::json run_info = nlohmann::json::object();
  if (c.first_run) {
    const nlohmann::json& first = *c.first_run;
    const auto text = [&](const char* key) { return first.value(key, std::string()); };
    run_info = {{"product", text("product")},
                {"browser_version", text("browser_version")},
                {"os", text("os")},
                {"revision", text("revision")},
                {"processor", "x86_64"},
                {"wpt_revisions", first.value("wpt_revisions", nlohmann::json::object())}};
  }
  nlohmann::json results = nlohmann::json::array();
  for (const nlohmann::json* r : c.results) results.push_back(*r);
  const nlohmann::json report = {{"run_info", std::move(run_info)},
                                 {"time_start", c.time_start_ms},
                                 {"time_end", c.time_end_ms},
                                 {"results", std::move(results)}};
  // Invalid UTF-8 cannot reach here (guest text is escaped); replace rather than throw anyway.
  out << report.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace osh::wpt
