#pragma once
// A campaign-wide section of report.html that a plug-in contributes (the wpt plug-in's
// per-directory dashboard), and its short form in summary.md. It is data, not markup: the
// writers escape every string and draw the charts like any other, so a plug-in cannot break a
// report.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/stats/chart.h"

namespace osh::campaign {

struct CampaignOutcome;  // campaign.h

struct ReportTable {
  std::string caption;
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column: numbers, right-aligned
  std::vector<std::vector<std::string>> rows;
};

// Pictures shown side by side (a screenshot, its golden and their diff): files in the campaign's
// output folder, named by paths relative to it. The HTML writer shows only such relative paths.
struct ReportImage {
  std::string caption;
  std::string path;
};
struct ReportImageRow {
  std::string caption;
  std::vector<ReportImage> images;
};

struct ReportPanel {
  std::string id;  // the section's anchor
  std::string title;
  std::vector<std::string> notes;  // paragraphs above the tables
  std::vector<ReportTable> tables;
  std::vector<stats::Chart> charts;
  std::vector<ReportImageRow> image_rows;
  // The few rows a pull-request comment should show (summary.md cuts it to its row limit);
  // empty when the panel belongs in report.html only.
  std::optional<ReportTable> summary;
};

// A panel for the campaign, or nullopt when it has nothing to show (no WPT run in it).
using ReportPanelMaker = std::function<std::optional<ReportPanel>(const CampaignOutcome&)>;

}  // namespace osh::campaign
