#pragma once
// summary.md: short enough for a pull-request comment — the overall verdict, counts per
// verdict, a line per spec, the failures grouped by signature, the boot-time spread, and the
// summary tables of plug-in panels (the WPT pass rates per directory).
// Bounded whatever the campaign: at most kMaxSummaryRows specs, kMaxSummaryGroups failure groups
// and kMaxSummaryWarnings warnings
// are listed, each cell cut to a fixed size, so that it stays under kSummaryMaxBytes (GitHub
// refuses comments over 65536 characters; ours stays far below and reads at a glance).
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report_writer.h"

namespace osh::reports {

inline constexpr size_t kMaxSummaryRows = 10;
inline constexpr size_t kMaxSummaryGroups = 5;
inline constexpr size_t kMaxSummaryWarnings = 3;
inline constexpr size_t kSummaryMaxBytes = 8192;
// What a name (spec, metric, column) may take of a Markdown table cell.
inline constexpr size_t kMarkdownNameBytes = 48;

class MarkdownSummary final : public ReportWriter {
 public:
  explicit MarkdownSummary(std::vector<campaign::ReportPanelMaker> panels = {})
      : panels_(std::move(panels)) {}
  std::string_view file_name() const override { return "summary.md"; }
  void write(const campaign::CampaignOutcome& outcome, std::ostream& out) const override;

 private:
  std::vector<campaign::ReportPanelMaker> panels_;
};

// Why `url` cannot be summary.md's link to the full report (`--report-url`), or "" when it can:
// an http(s) URL of printable ASCII without spaces, < > " ' or `, so that it is one autolink.
std::string report_url_problem(std::string_view url);

// Guest text made safe for Markdown table cells (GitHub renders inline HTML in Markdown), at
// most `max_bytes` long: cut between escapes, never inside one, and marked "…" when cut.
std::string markdown_cell(std::string_view text, size_t max_bytes = std::string::npos);

// `table` as a Markdown table of at most `max_rows` rows (then "… and N more rows; see
// report.html."), each cell cut to its column's size in `cell_bytes` (the last for the rest).
void write_markdown_table(const campaign::ReportTable& table, std::ostream& out, size_t max_rows,
                          const std::vector<size_t>& cell_bytes = {kMarkdownNameBytes});

}  // namespace osh::reports
