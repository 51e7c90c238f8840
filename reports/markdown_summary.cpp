#include "reports/markdown_summary.h"

#include <map>

#include "harness/base/escape.h"
#include "reports/json_report.h"

namespace osh::reports {
namespace {

constexpr size_t kMaxRowsShown = 30;

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (const char c : escape_markup(text)) {
    if (c == '|' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']') out += '\\';
    out += c;
  }
  return out;
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
    if (++not_passed > kMaxRowsShown) continue;
    if (shown++ == 0) {
      out << "| # | run | seed | verdict | reason |\n";
      out << "|---|-----|------|---------|--------|\n";
    }
    out << "| " << r.index << " | " << markdown_cell(r.name) << " | " << r.seed << " | "
        << campaign::to_string(r.verdict) << " | " << markdown_cell(r.reason) << " |\n";
  }
  if (not_passed > kMaxRowsShown)
    out << "\n… and " << (not_passed - kMaxRowsShown) << " more; see report.json.\n";
  if (shown) out << "\n";

  if (const auto boot = boot_summary(outcome))
    out << "Boot to `BOOT:READY`: median " << fixed(boot->median, 1) << " ms (min "
        << fixed(boot->min, 1) << ", max " << fixed(boot->max, 1) << ", " << boot->runs
        << " runs).\n";
  for (const auto& w : outcome.info.warnings) out << "\n> ⚠ " << markdown_cell(w) << "\n";
}

}  // namespace osh::reports
