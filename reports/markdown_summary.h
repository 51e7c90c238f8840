#pragma once
// summary.md: short enough for a pull-request comment — the overall verdict, counts per
// verdict, every run that did not pass with its reason, and the boot-time spread.
#include "reports/report_writer.h"

namespace osh::reports {

class MarkdownSummary final : public ReportWriter {
 public:
  std::string_view file_name() const override { return "summary.md"; }
  void write(const campaign::CampaignOutcome& outcome, std::ostream& out) const override;
};

// Guest text made safe for Markdown table cells (GitHub renders inline HTML in Markdown).
std::string markdown_cell(std::string_view text);

}  // namespace osh::reports
