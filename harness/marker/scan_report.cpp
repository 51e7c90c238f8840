#include "harness/marker/scan_report.h"

#include <algorithm>
#include <iomanip>

namespace osh::marker {
namespace {

struct Entry {
  uint64_t line_no;
  std::string_view kind;
  std::string reason;
  std::string_view text;
};

std::string_view kind_name(LineKind kind) {
  switch (kind) {
    case LineKind::Noise:
      return "noise";
    case LineKind::Marker:
      return "marker";
    case LineKind::Malformed:
      return "malformed";
    case LineKind::Corrupt:
      return "corrupt";
  }
  return "?";
}

// Problem lines and gaps merged in line order, cut to max_problems.
std::vector<Entry> entries(const ScanSummary& summary, size_t max_problems) {
  std::vector<Entry> all;
  for (const auto& p : summary.problems)
    all.push_back({p.line_no, kind_name(p.kind), p.reason, p.text});
  for (const auto& g : summary.gaps) {
    all.push_back({g.line_no,
                   "lost",
                   std::to_string(g.lost) + (g.lost == 1 ? " marker" : " markers") +
                       " never arrived: expected seq " + std::to_string(g.expected) + ", got " +
                       std::to_string(g.seq),
                   {}});
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Entry& a, const Entry& b) { return a.line_no < b.line_no; });
  if (all.size() > max_problems) all.resize(max_problems);
  return all;
}

uint64_t problem_total(const ScanSummary& summary) {
  return summary.counts.malformed + summary.counts.corrupt + summary.gap_count;
}

}  // namespace

bool scan_clean(const ScanSummary& summary) {
  return summary.counts.lost == 0 && summary.counts.corrupt == 0 && summary.counts.malformed == 0;
}

void write_scan_text(std::ostream& out, const ScanSummary& summary,
                     const ScanReportContext& context) {
  const MarkerCounts& c = summary.counts;
  out << context.log << ": " << c.bytes << " bytes, " << c.lines << " lines (schema "
      << context.schema << ")\n";
  if (summary.stopped_at_limit)
    out << "  stopped at the byte limit (--max-bytes), after the last whole line: the rest of "
           "the log was not read\n";
  const std::pair<const char*, uint64_t> rows[] = {
      {"markers", c.total},       {"lost", c.lost},         {"corrupt", c.corrupt},
      {"malformed", c.malformed}, {"noise", c.noise_lines}, {"boots", c.boots}};
  for (const auto& [name, value] : rows) {
    out << "  " << std::left << std::setw(10) << name << std::right << std::setw(12) << value
        << "\n";
  }
  if (!summary.markers.empty()) {
    size_t width = 0;
    for (const auto& [name, count] : summary.markers) width = std::max(width, name.size());
    out << "\nmarkers by category:event\n";
    for (const auto& [name, count] : summary.markers) {
      out << "  " << std::left << std::setw(int(width)) << name << std::right << std::setw(12)
          << count << "\n";
    }
  }
  const uint64_t total = problem_total(summary);
  if (total == 0) {
    out << "\nno problems\n";
    return;
  }
  out << "\nproblems (" << c.malformed << " malformed, " << c.corrupt << " corrupt, "
      << summary.gap_count << " sequence gaps with " << c.lost << " lost)\n";
  const auto shown = entries(summary, context.max_problems);
  for (const auto& e : shown) {
    out << "  line " << e.line_no << ": " << e.kind << ": " << e.reason << "\n";
    if (!e.text.empty()) out << "      " << e.text << "\n";
  }
  if (total > shown.size()) out << "  ... and " << total - shown.size() << " more\n";
}

nlohmann::json scan_json(const ScanSummary& summary, const ScanReportContext& context) {
  const MarkerCounts& c = summary.counts;
  nlohmann::json markers = nlohmann::json::object();
  for (const auto& [name, count] : summary.markers) markers[name] = count;
  nlohmann::json problems = nlohmann::json::array();
  const auto shown = entries(summary, context.max_problems);
  for (const auto& e : shown) {
    nlohmann::json p = {{"line", e.line_no}, {"kind", e.kind}, {"reason", e.reason}};
    if (!e.text.empty()) p["text"] = e.text;
    problems.push_back(std::move(p));
  }
  return {{"log", context.log},
          {"schema", context.schema},
          {"clean", scan_clean(summary)},
          {"stopped_at_limit", summary.stopped_at_limit},
          {"counts",
           {{"bytes", c.bytes},
            {"lines", c.lines},
            {"markers", c.total},
            {"lost", c.lost},
            {"corrupt", c.corrupt},
            {"malformed", c.malformed},
            {"noise", c.noise_lines},
            {"boots", c.boots},
            {"sequence_gaps", summary.gap_count}}},
          {"markers", std::move(markers)},
          {"problems", std::move(problems)},
          {"problems_not_shown", problem_total(summary) - shown.size()}};
}

}  // namespace osh::marker
