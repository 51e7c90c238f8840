#include "reports/markdown_summary.h"

#include <map>
#include <vector>

#include "reports/escape_once.h"
#include "reports/json_report.h"
#include "reports/report_format.h"

namespace osh::reports {
namespace {

// Cell sizes that keep kMaxSummaryRows rows and the rest under kSummaryMaxBytes.
constexpr size_t kNameBytes = 48;
constexpr size_t kReasonBytes = 160;
constexpr size_t kWarningBytes = 200;

// A plug-in's summary table, at most kMaxSummaryRows rows.
void write_table(const campaign::ReportTable& table, std::ostream& out) {
  const auto& cols = table.columns;
  out << "|";
  for (const auto& c : cols) out << " " << markdown_cell(c, kNameBytes) << " |";
  out << "\n|";
  for (size_t i = 0; i < cols.size(); ++i)
    out << (i < table.numeric.size() && table.numeric[i] ? "---:|" : "---|");
  out << "\n";
  for (size_t r = 0; r < table.rows.size() && r < kMaxSummaryRows; ++r) {
    out << "|";
    for (size_t i = 0; i < cols.size(); ++i)
      out << " " << (i < table.rows[r].size() ? markdown_cell(table.rows[r][i], kNameBytes) : "")
          << " |";
    out << "\n";
  }
  if (table.rows.size() > kMaxSummaryRows)
    out << "\n… and " << (table.rows.size() - kMaxSummaryRows) << " more rows; see report.html.\n";
}

}  // namespace

std::string markdown_cell(std::string_view text, size_t max_bytes) {
  const std::string escaped = escape_markup_once(text);
  std::string out;
  std::vector<size_t> boundaries;  // where `out` may be cut
  for (size_t i = 0; i < escaped.size();) {
    const size_t n = markup_char_length(escaped, i);
    const char c = escaped[i];
    boundaries.push_back(out.size());
    // Markdown's own escapes; a backslash too, so that "\x1b" reads as written.
    if (c == '|' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '\\')
      out += '\\';
    out.append(escaped, i, n);
    i += n;
  }
  if (out.size() <= max_bytes) return out;
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  size_t cut = 0;
  for (const size_t b : boundaries)
    if (b + kEllipsis.size() <= max_bytes) cut = b;
  out.resize(cut);
  return out.append(kEllipsis);
}

void MarkdownSummary::write(const campaign::CampaignOutcome& outcome, std::ostream& out) const {
  const auto verdict = overall_verdict(outcome);
  std::map<campaign::Verdict, int> counts;
  for (const auto& r : outcome.runs) ++counts[r.verdict];
  out << "## osharness: " << campaign::to_string(verdict) << "\n\n";
  out << outcome.runs.size() << " run" << (outcome.runs.size() == 1 ? "" : "s") << ":";
  bool first = true;
  for (const auto& [v, n] : counts) {
    out << (first ? " " : ", ") << n << " " << campaign::to_string(v);
    first = false;
  }
  out << ".";
  if (outcome.info.interrupted) out << " **Interrupted** before every run had finished.";
  out << "\n\n";

  size_t shown = 0, not_passed = 0;
  for (const auto& r : outcome.runs) {
    if (r.verdict == campaign::Verdict::Pass) continue;
    if (++not_passed > kMaxSummaryRows) continue;
    if (shown++ == 0) {
      out << "| # | run | seed | verdict | reason |\n";
      out << "|---|-----|------|---------|--------|\n";
    }
    out << "| " << r.index << " | " << markdown_cell(r.name, kNameBytes) << " | " << r.seed << " | "
        << campaign::to_string(r.verdict) << " | " << markdown_cell(r.reason, kReasonBytes)
        << " |\n";
  }
  if (not_passed > kMaxSummaryRows)
    out << "\n… and " << (not_passed - kMaxSummaryRows) << " more; see report.html.\n";
  if (shown) out << "\n";

  if (const auto boot = boot_summary(outcome))
    out << "Boot to `BOOT:READY`: median " << fixed(boot->median, 1) << " ms (min "
        << fixed(boot->min, 1) << ", max " << fixed(boot->max, 1) << ", " << boot->runs
        << (boot->runs == 1 ? " run).\n" : " runs).\n");
  int passed = 0, failed = 0, skipped = 0;  // tests the guests ran (markers or KTAP)
  for (const auto& r : outcome.runs)
    for (const auto& t : r.guest_tests)
      ++(t.skipped ? skipped : t.verdict == campaign::Verdict::Pass ? passed : failed);
  if (passed + failed + skipped)
    out << "Guest tests: " << passed << " passed, " << failed << " failed, " << skipped
        << " skipped.\n";
  for (const auto& make : panels_) {
    const auto panel = make(outcome);
    if (!panel || !panel->summary) continue;
    out << "\n### " << markdown_cell(panel->title, kNameBytes) << "\n\n";
    if (!panel->summary->caption.empty())
      out << markdown_cell(panel->summary->caption, kReasonBytes) << "\n\n";
    write_table(*panel->summary, out);
  }
  const auto& warnings = outcome.info.warnings;
  for (size_t i = 0; i < warnings.size() && i < kMaxSummaryWarnings; ++i)
    out << "\n> ⚠ " << markdown_cell(warnings[i], kWarningBytes) << "\n";
  if (warnings.size() > kMaxSummaryWarnings)
    out << "\n> … and " << (warnings.size() - kMaxSummaryWarnings)
        << " more warnings; see report.html.\n";
}

}  // namespace osh::reports
