#include "reports/report_writer.h"

#include <cerrno>
#include <fstream>

#include "harness/base/errors.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/markdown_summary.h"

namespace osh::reports {

Writers builtin_writers() {
  return {std::make_shared<JsonReport>(), std::make_shared<JunitReport>(),
          std::make_shared<MarkdownSummary>(), std::make_shared<HtmlReport>()};
}

std::vector<std::filesystem::path> write_reports(const campaign::CampaignOutcome& outcome,
                                                 const std::filesystem::path& dir,
                                                 const Writers& writers) {
  std::vector<std::filesystem::path> written;
  for (const auto& writer : writers) {
    const auto path = dir / writer->file_name();
    const auto tmp = dir / (std::string(writer->file_name()) + ".tmp");
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) throw InfraError(errno_message("cannot create " + tmp.string(), errno));
      writer->write(outcome, out);
      out.flush();
      if (!out) throw InfraError(errno_message("cannot write " + tmp.string(), errno));
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw InfraError("cannot write " + path.string() + ": " + ec.message());
    written.push_back(path);
  }
  return written;
}

campaign::Verdict overall_verdict(const campaign::CampaignOutcome& outcome) {
  campaign::Verdict v = campaign::Verdict::Pass;
  for (const auto& r : outcome.runs) v = campaign::worst(v, r.verdict);
  if (outcome.info.interrupted) v = campaign::worst(v, campaign::Verdict::InfraError);
  return v;
}

}  // namespace osh::reports
