#pragma once
// The built-in report formats and writing them out. The ReportWriter interface itself is in
// harness/campaign/report_writer.h, so that any plug-in can add a format.
#include <filesystem>
#include <memory>
#include <vector>

#include "harness/campaign/campaign.h"
#include "harness/campaign/report_panel.h"
#include "harness/campaign/report_writer.h"

namespace osh::reports {

using campaign::ReportWriter;
using Writers = std::vector<std::shared_ptr<const ReportWriter>>;

// report.json, junit.xml, summary.md and report.html (both with the plug-ins' `panels`), in that
// order.
Writers builtin_writers(std::vector<campaign::ReportPanelMaker> panels = {});

// Writes every report into `dir`, each through a temporary file and a rename so that a reader
// never sees half a report. Returns the paths written. InfraError on a write failure.
std::vector<std::filesystem::path> write_reports(const campaign::CampaignOutcome& outcome,
                                                 const std::filesystem::path& dir,
                                                 const Writers& writers);

// The worst verdict of the campaign (PASS when it has no runs... and no interruption).
campaign::Verdict overall_verdict(const campaign::CampaignOutcome& outcome);

}  // namespace osh::reports
