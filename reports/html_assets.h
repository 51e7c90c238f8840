#pragma once
// The fixed parts of report.html: its style sheet, its two small scripts, and the
// Content-Security-Policy that allows exactly these (by SHA-256) and nothing else. With it the
// page cannot fetch anything (no network, ever) and no other script can run, even if a guest
// string ever got past its escaping: a blocked script is recorded as a script error instead.
#include <string>
#include <string_view>

#include "harness/campaign/verdict.h"

namespace osh::reports {

// "#1a7f37" for PASS: the verdict's colour in the style sheet (--PASS), for charts.
std::string_view verdict_color(campaign::Verdict verdict);

std::string_view html_style();
// First in <head>: counts script errors and policy violations into <html data-errors>, and
// lists them in data-error-log, so a headless browser's DOM dump shows them.
std::string_view html_head_script();
// Last in <body>: the verdict filter of the runs table, then <html data-rendered="1">.
std::string_view html_tail_script();
// The policy for a <meta http-equiv="Content-Security-Policy">.
const std::string& html_content_security_policy();

// A page's start, up to and including <main>: doctype, policy, head script, style, and
// `title` (plain text; escaped here).
std::string html_page_start(std::string_view title);
// Its end: <footer>footer_html</footer>, the tail script, </html>.
std::string html_page_end(const std::string& footer_html);

}  // namespace osh::reports
