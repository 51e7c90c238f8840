#pragma once
// Renders a stats::Chart of kind Bars as inline SVG: one horizontal stacked bar per category
// (e.g. a WPT directory), segments in series order, each with its value as a tooltip, on a
// linear value axis from 0. Every label goes through escape_markup.
#include <string>

#include "harness/stats/chart.h"
#include "reports/svg_chart.h"

namespace osh::reports {

std::string render_bars_svg(const stats::Chart& chart, const SvgSize& size);

}  // namespace osh::reports
