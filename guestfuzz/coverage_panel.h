#pragma once
// The report.html section "Fuzz line coverage": per run of a fuzz campaign, each source file of
// the instrumented code with its lines and functions reached (runs[].analysis["fuzz"]["coverage"],
// written by the fuzz hook beside the run's coverage.info).
#include <optional>

#include "harness/campaign/campaign.h"
#include "harness/campaign/report_panel.h"

namespace osh::guestfuzz {

std::optional<campaign::ReportPanel> coverage_panel(const campaign::CampaignOutcome& outcome);

}  // namespace osh::guestfuzz
