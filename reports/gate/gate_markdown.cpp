#include "reports/gate/gate_markdown.h"

#include <algorithm>
#include <cstdint>

#include "reports/gate/gate_format.h"
#include "reports/markdown_summary.h"
#include "reports/report_format.h"

namespace osh::gate {
namespace {

using reports::markdown_cell;

constexpr size_t kMaxCell = 200;

std::string cell(std::string_view text) { return markdown_cell(text, kMaxCell); }

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string change_cell(const MetricComparison& c) {
  if (!c.tested) return describe_shift(c);
  const auto show = [&](double v) {
    return c.relative ? signed_percent(v) : (v > 0 ? "+" : "") + short_number(v);
  };
  return show(c.shift) + " (" + show(c.low) + " to " + show(c.high) + ")";
}

void lead_table(const GateResult& r, Change change, const char* title, std::ostream& out) {
  if (r.count(change) == 0) return;
  out << "### " << title << "\n\n";
  out << "| spec | metric | baseline | current | change (" << percent(r.config.confidence, 0)
      << " CI) | p | threshold |\n|---|---|---|---|---|---|---|\n";
  size_t shown = 0;
  for (const auto& c : r.comparisons) {
    if (c.change != change || shown++ >= kMaxLeadRows) continue;
    out << "| " << cell(c.spec) << " | " << cell(c.metric) << " | "
        << cell(with_unit(c.baseline_median, c.unit)) << " | "
        << cell(with_unit(c.current_median, c.unit)) << " | " << cell(change_cell(c)) << " | "
        << cell(p_value(c.p_value)) << " | " << cell(c.threshold.text()) << " |\n";
  }
  if (shown > kMaxLeadRows)
    out << "\n… and " << shown - kMaxLeadRows << " more (see the JUnit file).\n";
  out << "\n";
}

// "3", or "2-5" when the specs ran different numbers of runs.
std::string run_range(size_t low, size_t high) {
  return std::to_string(low) + (low == high ? "" : "-" + std::to_string(high));
}

// Every metric too few runs left inconclusive (the only way one is), in one line: they share
// their cause and its fix, which one line per metric would repeat dozens of times.
void inconclusive(const GateResult& r, std::ostream& out) {
  const size_t n = r.count(Change::Inconclusive);
  if (n == 0) return;
  size_t base_low = SIZE_MAX, base_high = 0, cur_low = SIZE_MAX, cur_high = 0, shown = 0;
  std::string names;
  for (const auto& c : r.comparisons) {
    if (c.change != Change::Inconclusive) continue;
    base_low = std::min(base_low, c.baseline.size());
    base_high = std::max(base_high, c.baseline.size());
    cur_low = std::min(cur_low, c.current.size());
    cur_high = std::max(cur_high, c.current.size());
    if (shown++ < kMaxLeadRows)
      names += (names.empty() ? "" : ", ") + cell(c.spec + " " + c.metric);
  }
  if (n > kMaxLeadRows) names += " and " + std::to_string(n - kMaxLeadRows) + " more";
  out << "### Inconclusive\n\n"
      << plural(n, "metric", "metrics") << " cannot reach " << percent(r.config.confidence, 0)
      << " confidence with " << run_range(base_low, base_high) << " baseline and "
      << run_range(cur_low, cur_high) << " current runs per spec; give each side at least "
      << min_runs_per_side(r.config.confidence) << " runs (--repeat): " << names << ".\n\n";
}

void failures_table(const GateResult& r, std::ostream& out) {
  if (r.new_failures() == 0) return;
  out << "### New failures\n\nEvery baseline run of these specs passed.\n\n";
  out << "| spec | run | seed | verdict | reason |\n|---|---|---|---|---|\n";
  size_t shown = 0;
  for (const auto& v : r.verdicts) {
    if (!v.new_failure()) continue;
    for (const auto& f : v.current_failed) {
      if (shown++ >= kMaxLeadRows) continue;
      out << "| " << cell(v.spec) << " | " << f.index << " | " << f.seed << " | "
          << campaign::to_string(f.verdict) << " | " << cell(f.reason) << " |\n";
    }
  }
  if (shown > kMaxLeadRows) out << "\n… and " << shown - kMaxLeadRows << " more.\n";
  out << "\n";
}

void all_comparisons(const GateResult& r, std::ostream& out) {
  if (r.comparisons.empty()) return;
  out << "<details><summary>" << plural(r.comparisons.size(), "metric", "metrics") << " compared: ";
  bool first = true;
  for (const auto change : {Change::Regressed, Change::Improved, Change::Unchanged,
                            Change::Inconclusive, Change::Informational}) {
    if (const size_t n = r.count(change)) {
      out << (first ? "" : ", ") << n << " " << to_string(change);
      first = false;
    }
  }
  out << "</summary>\n\n";
  out << "| spec | metric | verdict | runs | baseline | current | why |\n"
         "|---|---|---|---|---|---|---|\n";
  size_t shown = 0;
  for (const auto& c : r.comparisons) {
    if (shown++ >= kMaxDetailRows) continue;
    out << "| " << cell(c.spec) << " | " << cell(c.metric) << " | " << to_string(c.change) << " | "
        << c.baseline.size() << " / " << c.current.size() << " | "
        << cell(with_unit(c.baseline_median, c.unit)) << " | "
        << cell(with_unit(c.current_median, c.unit)) << " | " << cell(c.reason) << " |\n";
  }
  if (shown > kMaxDetailRows)
    out << "\n… and " << shown - kMaxDetailRows << " more (see the JUnit file).\n";
  out << "\nBaseline and current are medians of the per-run values.\n\n</details>\n\n";
}

void distributions(const GateResult& r, std::ostream& out) {
  if (r.distributions.empty()) return;
  out << "<details><summary>Distributions, all runs merged (baseline → current)</summary>\n\n"
         "| spec | histogram | samples | p50 | p90 | p99 | p99.9 | max |\n"
         "|---|---|---|---|---|---|---|---|\n";
  size_t shown = 0;
  for (const auto& d : r.distributions) {
    if (shown++ >= kMaxDetailRows) break;
    const auto pair = [&](double p) {
      return reports::number(static_cast<double>(d.baseline.value_at_percentile(p))) + " → " +
             reports::number(static_cast<double>(d.current.value_at_percentile(p)));
    };
    out << "| " << cell(d.spec) << " | " << cell(d.name) << (d.unit.empty() ? "" : " (")
        << cell(d.unit) << (d.unit.empty() ? "" : ")") << " | " << d.baseline.count() << " → "
        << d.current.count() << " | " << pair(50) << " | " << pair(90) << " | " << pair(99) << " | "
        << pair(99.9) << " | " << pair(100) << " |\n";
  }
  out << "\nFor reading only: the verdicts compare per-run values, not these pooled "
         "samples.\n\n</details>\n\n";
}

void notes(const GateResult& r, std::ostream& out) {
  std::vector<std::string> lines;
  for (const auto& s : r.only_in_baseline)
    lines.push_back("spec " + cell(s) + " ran only in the baseline");
  for (const auto& s : r.only_in_current)
    lines.push_back("spec " + cell(s) + " ran only in current");
  for (const auto& v : r.verdicts) {
    if (v.fixed())
      lines.push_back("spec " + cell(v.spec) + ": fixed (" + std::to_string(v.baseline_failed) +
                      " of " + std::to_string(v.baseline_runs) +
                      " baseline runs failed, none now)");
    else if (v.baseline_failed > 0 && !v.current_failed.empty())
      lines.push_back("spec " + cell(v.spec) + ": still failing (" +
                      std::to_string(v.baseline_failed) + " of " + std::to_string(v.baseline_runs) +
                      " baseline runs, " + std::to_string(v.current_failed.size()) + " of " +
                      std::to_string(v.current_runs) + " now)");
  }
  for (const auto& n : r.notes) lines.push_back(cell(n));
  if (lines.empty()) return;
  out << "Notes:\n";
  for (size_t i = 0; i < lines.size() && i < kMaxLeadRows; ++i) out << "- " << lines[i] << "\n";
  if (lines.size() > kMaxLeadRows) out << "- … and " << lines.size() - kMaxLeadRows << " more\n";
  out << "\n";
}

}  // namespace

void write_markdown(const GateResult& r, std::ostream& out) {
  const size_t regressions = r.count(Change::Regressed), failures = r.new_failures();
  out << "## osharness gate: ";
  if (r.passed()) {
    out << "passed — no regression, no new failure";
  } else {
    out << "FAILED — ";
    if (regressions) out << plural(regressions, "regression", "regressions");
    if (regressions && failures) out << ", ";
    if (failures) out << plural(failures, "spec with new failures", "specs with new failures");
  }
  out << "\n\nBaseline " << cell(r.baseline_origin) << " ("
      << plural(r.baseline_runs, "run", "runs") << "), current " << cell(r.current_origin) << " ("
      << plural(r.current_runs, "run", "runs")
      << "). A metric regresses when its shift is significant and its "
      << percent(r.config.confidence, 0) << " confidence interval lies beyond the threshold ("
      << r.config.default_threshold.text() << " unless configured).\n\n";
  lead_table(r, Change::Regressed, "Regressions", out);
  failures_table(r, out);
  lead_table(r, Change::Improved, "Improvements", out);
  inconclusive(r, out);
  all_comparisons(r, out);
  distributions(r, out);
  notes(r, out);
}

}  // namespace osh::gate
