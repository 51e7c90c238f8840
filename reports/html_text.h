#pragma once
// Small text helpers shared by the HTML report and its SVG charts. Every string that reaches
// the page goes through escape_markup (as escape_markup_once, via html() or html_clipped()):
// guest bytes, spec names, reasons, frames, chart titles and labels alike.
#include <optional>
#include <string>
#include <string_view>

#include "harness/campaign/report_panel.h"

namespace osh::reports {

// <table> of `table`, every cell escaped; numeric columns right-aligned.
std::string table_html(const campaign::ReportTable& table);

// escape_markup_once(text): safe in element content and in quoted attributes; guest text
// escaped by the runner reads as it was escaped (escape_once.h).
std::string html(std::string_view text);

// How the page shows times: "2023-11-14 22:13:20 UTC".
inline constexpr const char* kHtmlTimeFormat = "%Y-%m-%d %H:%M:%S UTC";

// html(text) cut to at most `max_chars` characters as shown (an entity or an escape like "\x1b"
// counts as what it shows), with "…" appended when cut. For text that must fit a given space.
std::string html_clipped(std::string_view text, size_t max_chars);

// <dt>term</dt><dd>html_value</dd>: one line of a <dl class="facts">; `html_value` is markup.
std::string dl_entry(std::string_view term, const std::string& html_value);

// How many characters html(text) shows, to estimate its width.
size_t shown_chars(std::string_view text);

// An href for a path relative to the report's folder ("runs/003-boot/console.log"),
// percent-encoded; nullopt for anything that is not a plain relative path (absolute, a URL
// with a scheme, "..", empty), so the report never links outside its folder.
std::optional<std::string> relative_href(std::string_view path);

}  // namespace osh::reports
