#pragma once
// The WPT dashboard of report.html (a ReportPanel, harness/campaign/report_panel.h): per WPT
// directory, the subtests by status against the pinned totals (every subtest the pinned data
// defines), the pass rate of those totals and of the subtests rayos can run (precondition
// failures aside), as a table and a stacked bar chart; then the same per test.
#include <optional>

#include "harness/campaign/campaign.h"
#include "harness/campaign/report_panel.h"

namespace osh::wpt {

std::optional<campaign::ReportPanel> wpt_dashboard(const campaign::CampaignOutcome& outcome);

}  // namespace osh::wpt
