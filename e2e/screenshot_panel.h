#pragma once
// The report.html section "Screenshots": for every screenshot of every run, its golden, what the
// run showed and their diff side by side, with the verdict of the comparison.
#include <optional>

#include "harness/campaign/campaign.h"
#include "harness/campaign/report_panel.h"

namespace osh::e2e {

std::optional<campaign::ReportPanel> screenshot_panel(const campaign::CampaignOutcome& outcome);

}  // namespace osh::e2e
