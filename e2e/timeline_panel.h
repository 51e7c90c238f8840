#pragma once
// The report.html section "Timelines": each run's integration events in guest time and the
// timeline rules it broke, from runs[].analysis["timeline"] (the per-run chart is drawn with the
// run's other charts).
#include <optional>

#include "harness/campaign/campaign.h"
#include "harness/campaign/report_panel.h"

namespace osh::e2e {

std::optional<campaign::ReportPanel> timeline_panel(const campaign::CampaignOutcome& outcome);

}  // namespace osh::e2e
