#pragma once
// Renders a stats::Chart (harness/stats/chart.h) as inline SVG for report.html, whatever the
// analyzer that made it: line charts (several series, legend, shaded windows, rules) and
// histograms (bars per bucket, optional log x axis, percentile rules), and stacked bar charts
// (svg_bars.h). Points with a NaN or
// infinite coordinate are skipped (a line breaks there); a chart with nothing to draw says so.
// Every label goes through escape_markup.
#include <string>
#include <vector>

#include "harness/stats/chart.h"

namespace osh::reports {

// The ticks of one axis. The axis spans [lo, hi], the outermost ticks.
struct AxisTicks {
  double lo = 0;
  double hi = 1;
  std::vector<double> values;  // ascending, from lo to hi
  std::vector<std::string> labels;
};

// "Nice" ticks (1, 2 or 5 times a power of ten) covering [min, max] with at most `max_ticks`
// intervals, and at least `min_step` apart (1 for counts: no tick at 0.5 runs). A single value
// gets an interval around it. Finite inputs only; any finite range works, up to ±DBL_MAX.
AxisTicks linear_ticks(double min, double max, int max_ticks, double min_step = 0);

// Powers of ten covering [min, max] (min > 0), with 2 and 5 in between when the axis spans
// at most two decades, and every k-th power when it spans more than `max_ticks`.
AxisTicks log_ticks(double min, double max, int max_ticks);

// Maps an axis domain onto pixels, linearly or by log10. Values outside the domain are
// clamped to its ends, so no coordinate ever leaves the plot.
class Scale {
 public:
  Scale(double lo, double hi, double from_px, double to_px, bool log);
  double operator()(double v) const;

 private:
  double t(double v) const;
  double lo_, hi_, from_px_, to_px_;
  bool log_;
};

struct SvgSize {
  int width = 760;
  int height = 300;
};

std::string render_svg(const stats::Chart& chart, const SvgSize& size = {});

}  // namespace osh::reports
