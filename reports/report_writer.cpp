#include "reports/report_writer.h"

#include "harness/base/atomic_write.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_summary.h"

namespace osh::reports {

Writers builtin_writers(std::vector<campaign::ReportPanelMaker> panels) {
  return {std::make_shared<JsonReport>(), std::make_shared<JunitReport>(),
          std::make_shared<MarkdownSummary>(panels),
          std::make_shared<HtmlReport>(std::move(panels))};
}

std::vector<std::filesystem::path> write_reports(const campaign::CampaignOutcome& outcome,
                                                 const std::filesystem::path& dir,
                                                 const Writers& writers) {
  std::vector<std::filesystem::path> written;
  for (const auto& writer : writers) {
    if (!writer->applies(outcome)) continue;
    const auto path = dir / writer->file_name();
    atomic_write_private(path, [&](std::ostream& out) { writer->write(outcome, out); });
    written.push_back(path);
  }
  return written;
}

campaign::Verdict overall_verdict(const campaign::CampaignOutcome& outcome) {
  campaign::Verdict v = campaign::Verdict::Pass;
  for (const auto& r : outcome.runs) v = campaign::worst(v, r.verdict);
  // A campaign stopped short, or whose record is missing runs, is no PASS.
  if (outcome.info.interrupted || !outcome.info.incomplete.empty())
    v = campaign::worst(v, campaign::Verdict::InfraError);
  return v;
}

}  // namespace osh::reports
