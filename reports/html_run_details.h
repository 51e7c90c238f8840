#pragma once
// The part of report.html about one run: what it was, how it ended and why — findings, crash
// frames, marker problems with their console line numbers, criteria (measured vs bound), the
// guest's own tests, metrics — and every chart its analyzers put in analysis["charts"].
#include <filesystem>
#include <string>
#include <string_view>

#include "harness/campaign/run_result.h"
#include "reports/svg_chart.h"

namespace osh::reports {

// Every chart of the page: two side by side on a wide screen.
inline constexpr SvgSize kChartSize{540, 260};

// A run gets a details section when it did not pass or has charts to show.
bool has_details(const campaign::RunResult& run);

// The console tail shown inline for a run that did not pass: its last lines, read from at most
// the last kConsoleTailBytes of the log (a line longer than that shows its end).
inline constexpr size_t kConsoleTailLines = 40;
inline constexpr size_t kConsoleTailBytes = 8192;

// The last `max_lines` lines of `escaped` (text with '\n' line ends, as console_tail gives it).
std::string last_lines(const std::string& escaped, size_t max_lines);

// <details id="run-<index>">, open when the run did not pass; `out_dir` holds its console log.
std::string run_details_html(const campaign::RunResult& run, const std::filesystem::path& out_dir);

// <span class="badge v-FAIL">FAIL</span>
std::string verdict_badge(campaign::Verdict verdict);

}  // namespace osh::reports
