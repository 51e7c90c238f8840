#include "reports/markdown_summary.h"

#include <algorithm>
#include <map>
#include <vector>

#include "reports/campaign_digest.h"
#include "reports/escape_once.h"
#include "reports/json_report.h"
#include "reports/report_format.h"

namespace osh::reports {
namespace {

// Cell sizes that keep kMaxSummaryRows rows and the rest under kSummaryMaxBytes.
constexpr size_t kNameBytes = kMarkdownNameBytes;
constexpr size_t kReasonBytes = 160;
constexpr size_t kWarningBytes = 200;
constexpr size_t kSignatureBytes = 120;
constexpr size_t kSeedsListed = 3;

}  // namespace

void write_markdown_table(const campaign::ReportTable& table, std::ostream& out, size_t max_rows,
                          const std::vector<size_t>& cell_bytes) {
  const auto& cols = table.columns;
  const auto cut = [&](size_t i) { return cell_bytes[std::min(i, cell_bytes.size() - 1)]; };
  out << "|";
  for (const auto& c : cols) out << " " << markdown_cell(c, kNameBytes) << " |";
  out << "\n|";
  for (size_t i = 0; i < cols.size(); ++i)
    out << (i < table.numeric.size() && table.numeric[i] ? "---:|" : "---|");
  out << "\n";
  for (size_t r = 0; r < table.rows.size() && r < max_rows; ++r) {
    out << "|";
    for (size_t i = 0; i < cols.size(); ++i)
      out << " " << (i < table.rows[r].size() ? markdown_cell(table.rows[r][i], cut(i)) : "")
          << " |";
    out << "\n";
  }
  if (table.rows.size() > max_rows)
    out << "\n… and " << (table.rows.size() - max_rows)
        << (table.rows.size() - max_rows == 1 ? " more row" : " more rows")
        << "; see report.html.\n";
}

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

std::string report_url_problem(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://"))
    return "expected an http:// or https:// URL";
  for (const char c : url)
    if (c <= ' ' || c >= 0x7f || std::string_view("<>\"'`").find(c) != std::string_view::npos)
      return "a URL may not hold spaces, control or non-ASCII bytes, or < > \" ' ` (percent-encode "
             "them)";
  return "";
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
  if (!outcome.info.incomplete.empty()) {
    out << " **Campaign incomplete**:";
    for (const auto& why : outcome.info.incomplete)
      out << " " << markdown_cell(why, 2 * kReasonBytes) << ".";
  }
  out << "\n\n";
  // An autolink: nothing in it is Markdown, and the checked URL cannot end it early.
  if (const auto& url = outcome.info.report_url; !url.empty() && report_url_problem(url).empty())
    out << "Full report: <" << url << ">\n\n";

  const auto specs = spec_digests(outcome);
  if (specs.size() > 1 || (specs.size() == 1 && specs.front().runs > 1)) {
    auto table = spec_table(specs);
    table.columns.pop_back();  // the key figures are report.html's
    write_markdown_table(table, out, kMaxSummaryRows, {kNameBytes, 8, 8, kNameBytes * 2});
    out << "\n";
  }
  // Failures by signature: runs, signature, reason, first, last, seeds, reproduce.
  if (const auto groups = failure_groups(outcome); !groups.empty()) {
    out << "Failures by signature:\n\n";
    write_markdown_table(failure_group_table(groups, kSeedsListed), out, kMaxSummaryGroups,
                         {8, kSignatureBytes, kReasonBytes, kNameBytes / 2, kNameBytes / 2,
                          kNameBytes / 2, kReasonBytes});
    out << "\n";
  }

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
    write_markdown_table(*panel->summary, out, kMaxSummaryRows);
  }
  const auto& warnings = outcome.info.warnings;
  for (size_t i = 0; i < warnings.size() && i < kMaxSummaryWarnings; ++i)
    out << "\n> ⚠ " << markdown_cell(warnings[i], kWarningBytes) << "\n";
  if (warnings.size() > kMaxSummaryWarnings)
    out << "\n> … and " << (warnings.size() - kMaxSummaryWarnings)
        << " more warnings; see report.html.\n";
}

}  // namespace osh::reports
