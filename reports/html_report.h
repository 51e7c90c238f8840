#pragma once
// report.html: one self-contained page (inline CSS, inline SVG charts, two small inline
// scripts, no URL outside the output folder) for people reading a campaign's results:
// the verdict, the campaign's facts, campaign-wide charts, the plug-ins' panels (the WPT
// dashboard), a filterable table of runs, and per
// run that failed or has charts: findings, crash frames, marker problems, criteria, guest
// tests and every chart its analyzers made. docs/reports.md describes the sections.
#include <vector>

#include "harness/campaign/report_panel.h"
#include "reports/report_writer.h"

namespace osh::reports {

class HtmlReport final : public ReportWriter {
 public:
  // `panels`: campaign-wide sections from plug-ins, drawn after the charts.
  explicit HtmlReport(std::vector<campaign::ReportPanelMaker> panels = {})
      : panels_(std::move(panels)) {}
  std::string_view file_name() const override { return "report.html"; }
  void write(const campaign::CampaignOutcome& outcome, std::ostream& out) const override;

 private:
  std::vector<campaign::ReportPanelMaker> panels_;
};

}  // namespace osh::reports
