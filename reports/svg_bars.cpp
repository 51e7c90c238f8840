#include "reports/svg_bars.h"

#include <algorithm>
#include <cmath>

#include "reports/html_text.h"
#include "reports/report_format.h"

namespace osh::reports {
namespace {

// Segment colours in series order: the first four read as pass, fail, precondition failed and
// not run / other, the rest repeat.
constexpr const char* kSegmentColors[] = {"#59a14f", "#e15759", "#f1a340", "#9aa0a6",
                                          "#4e79a7", "#b07aa1", "#76b7b2", "#edc948"};
constexpr double kRow = 22;
constexpr double kBar = 14;
constexpr double kTop = 30;
constexpr double kCharWidth = 6.4;
constexpr size_t kMaxLabel = 40;

double value_at(const stats::Series& s, size_t category) {
  for (const auto& p : s.points)
    if (p.x == static_cast<double>(category) && std::isfinite(p.y) && p.y > 0) return p.y;
  return 0;
}

}  // namespace

std::string render_bars_svg(const stats::Chart& c, const SvgSize& size) {
  const size_t rows = c.categories.size();
  double longest = 0;
  for (const auto& label : c.categories)
    longest = std::max(longest, static_cast<double>(std::min(shown_chars(label), kMaxLabel)));
  const double left = std::min(10 + longest * kCharWidth, size.width * 0.45);
  const double right = size.width - 16.0;
  const double bottom = kTop + std::max<double>(rows, 1) * kRow;
  const double height = bottom + 58;

  double max_total = 0;
  for (size_t i = 0; i < rows; ++i) {
    double total = 0;
    for (const auto& s : c.series) total += value_at(s, i);
    max_total = std::max(max_total, total);
  }
  const AxisTicks ticks = linear_ticks(0, max_total > 0 ? max_total : 1, 6);
  const Scale x(ticks.lo, ticks.hi, left, right, false);

  std::string out = "<svg class=\"chart\" width=\"" + std::to_string(size.width) + "\" height=\"" +
                    fixed(height, 0) + "\" viewBox=\"0 0 " + std::to_string(size.width) + " " +
                    fixed(height, 0) + "\" role=\"img\" data-chart-id=\"" +
                    html_clipped(c.id, 200) +
                    "\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" "
                    "font-size=\"11\"><title>" +
                    html_clipped(c.title, 200) + "</title>";
  const auto text = [&](double tx, double ty, const std::string& escaped, const char* extra) {
    out += "<text x=\"" + fixed(tx, 1) + "\" y=\"" + fixed(ty, 1) + "\"" + extra + ">" + escaped +
           "</text>";
  };
  text(8, 18, html_clipped(c.title, 100), " font-weight=\"600\" font-size=\"13\" fill=\"#222\"");
  for (size_t t = 0; t < ticks.values.size(); ++t) {
    const double tx = x(ticks.values[t]);
    out += "<line x1=\"" + fixed(tx, 1) + "\" x2=\"" + fixed(tx, 1) + "\" y1=\"" + fixed(kTop, 1) +
           "\" y2=\"" + fixed(bottom, 1) + "\" stroke=\"#e6e8eb\"/>";
    text(tx, bottom + 14, html(ticks.labels[t]), " text-anchor=\"middle\" fill=\"#555\"");
  }
  std::string axis = c.x_label;
  if (!c.x_unit.empty()) axis += " (" + c.x_unit + ")";
  text((left + right) / 2, bottom + 30, html_clipped(axis, 80),
       " text-anchor=\"middle\" fill=\"#333\"");
  if (rows == 0)
    text((left + right) / 2, kTop + 14, "no data", " text-anchor=\"middle\" fill=\"#888\"");

  for (size_t i = 0; i < rows; ++i) {
    const double y = kTop + static_cast<double>(i) * kRow + (kRow - kBar) / 2;
    text(left - 6, y + kBar - 3, html_clipped(c.categories[i], kMaxLabel),
         " text-anchor=\"end\" fill=\"#333\"");
    double at = 0;
    for (size_t k = 0; k < c.series.size(); ++k) {
      const double v = value_at(c.series[k], i);
      if (v <= 0) continue;
      const double x0 = x(at), x1 = x(at + v);
      at += v;
      out += "<rect x=\"" + fixed(x0, 1) + "\" y=\"" + fixed(y, 1) + "\" width=\"" +
             fixed(std::max(x1 - x0, 0.5), 1) + "\" height=\"" + fixed(kBar, 1) + "\" fill=\"" +
             kSegmentColors[k % std::size(kSegmentColors)] + "\"><title>" +
             html_clipped(c.categories[i], 200) + ": " + html_clipped(c.series[k].name, 80) + " " +
             html(number(v)) + "</title></rect>";
    }
  }
  // Legend
  double lx = left;
  const double ly = bottom + 46;
  for (size_t k = 0; k < c.series.size(); ++k) {
    out += "<rect x=\"" + fixed(lx, 1) + "\" y=\"" + fixed(ly - 8, 1) +
           "\" width=\"14\" height=\"10\" fill=\"" + kSegmentColors[k % std::size(kSegmentColors)] +
           "\"/>";
    const std::string name = html_clipped(c.series[k].name, 40);
    text(lx + 18, ly + 1, name, " fill=\"#333\"");
    lx += 30 + static_cast<double>(shown_chars(c.series[k].name)) * kCharWidth;
  }
  return out + "</svg>";
}

}  // namespace osh::reports
