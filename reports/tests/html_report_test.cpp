#include "reports/html_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "reports/html_run_details.h"
#include "reports/html_text.h"
#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

using testing::GuestBytes;
using ::testing::HasSubstr;
using ::testing::Not;

std::string render(const campaign::CampaignOutcome& outcome) {
  std::ostringstream out;
  HtmlReport().write(outcome, out);
  return out.str();
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t i = 0; (i = text.find(what, i)) != std::string::npos; i += what.size()) ++n;
  return n;
}

// Strict UTF-8 without control characters other than tab and line feed.
bool clean_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 0 || i + n > s.size() || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
      return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

class HtmlReportTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
};

TEST_F(HtmlReportTest, IsOneSelfContainedPageThatFetchesNothing) {
  const auto page = render(testing::synthetic_outcome(dir_.path(), GuestBytes::Raw));
  EXPECT_EQ(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_THAT(page, HasSubstr("Content-Security-Policy\" content=\"default-src &#39;none&#39;;"));
  static const std::regex link(R"re(\b(?:href|src|srcset|action|xlink:href)\s*=\s*"([^"]*)")re",
                               std::regex::icase);
  size_t links = 0;
  for (std::sregex_iterator it(page.begin(), page.end(), link), end; it != end; ++it, ++links) {
    const std::string target = (*it)[1];
    EXPECT_THAT(target, Not(HasSubstr("http"))) << it->str();
    EXPECT_THAT(target, Not(HasSubstr(":"))) << it->str();
  }
  EXPECT_GT(links, 0u);  // the run anchors and log links are there, and were checked
  for (const char* external : {"<link", "<img", "<iframe", "@import", "url("})
    EXPECT_THAT(page, Not(HasSubstr(external)));
}

TEST_F(HtmlReportTest, GuestStringsNeverBecomeMarkup) {
  const auto page = render(testing::synthetic_outcome(dir_.path(), GuestBytes::Raw));
  EXPECT_EQ(count(page, "<script"), 2u);  // ours: the error recorder and the filter
  EXPECT_EQ(count(page, "</script>"), 2u);
  EXPECT_THAT(page, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &quot;quoted&quot; "
                              "&#39;single&#39; &amp; \\x00 NUL \\x1b[2J ESC \\xff bad"));
  EXPECT_THAT(page, HasSubstr("hang-&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_TRUE(clean_utf8(page));
}

TEST_F(HtmlReportTest, ShowsTheVerdictCampaignFactsAndEveryRun) {
  const auto o = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  const auto page = render(o);
  EXPECT_THAT(page,
              HasSubstr("<header class=\"banner v-CRASH\"><div class=\"verdict\">CRASH</div>"));
  EXPECT_THAT(
      page,
      HasSubstr("8 runs: 1 PASS, 2 FAIL, 1 CRASH, 1 HANG, 1 TIMEOUT, 1 INFRA_ERROR, 1 FLAKY"));
  EXPECT_THAT(page, HasSubstr("<code>osharness 0.1.0+test</code>"));
  EXPECT_THAT(page, HasSubstr("2023-11-14 22:13:20 UTC"));
  EXPECT_THAT(page, HasSubstr("(after 12 min 34 s)"));
  EXPECT_THAT(page,
              HasSubstr("<p class=\"warn\">journal write failed: No space left on device</p>"));
  EXPECT_EQ(count(page, "<tr data-verdict="), o.runs.size());
  for (const auto& r : o.runs) {
    const std::string v(campaign::to_string(r.verdict));
    EXPECT_THAT(page, HasSubstr("<tr data-verdict=\"" + v + "\"><td class=\"n\">" +
                                std::to_string(r.index) + "</td>"));
    EXPECT_THAT(page, HasSubstr("data-filter=\"" + v + "\""));
    EXPECT_THAT(page, HasSubstr("<code>" + std::to_string(r.seed) + "</code>"));
  }
}

TEST_F(HtmlReportTest, FailedRunsShowEverythingThatExplainsThem) {
  const auto page = render(testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped));
  EXPECT_EQ(count(page, "<details class=\"run\""), 8u);  // 7 that did not pass, 1 with charts
  EXPECT_EQ(count(page, "\" open>"), 7u);
  // Crash frames, symbolized or not.
  EXPECT_THAT(page, HasSubstr("<code>0xffffffff80101234</code></"
                              "td><td><code>rayos_fault_null_dereference+0x1a</code>"));
  EXPECT_THAT(
      page,
      HasSubstr(
          "<code>0xffffffff80000010</code></td><td><span class=\"muted\">not symbolized</span>"));
  // Marker problems with their line numbers.
  EXPECT_THAT(page,
              HasSubstr("<tr><td class=\"n\">17</td><td>corrupt</td><td>CRC-32C mismatch</td>"));
  EXPECT_THAT(page, HasSubstr("<tr><td class=\"n\">43</td><td>malformed</td>"));
  // Criteria, measured against their bounds.
  EXPECT_THAT(
      page,
      HasSubstr("<tr class=\"bad\"><td><code>fps.min &gt;= 58</code></td><td class=\"n\">41.5</td>"
                "<td class=\"n\">58</td><td><strong>fails</strong></td></tr>"));
  EXPECT_THAT(page, HasSubstr("<span class=\"muted\">not measured</span>"));
  EXPECT_THAT(page, HasSubstr("<td class=\"n\">0</td><td class=\"n\">0</td><td>holds</td>"));
  // Findings, guest tests, links to the run's files.
  EXPECT_THAT(page, HasSubstr("no COMPLETE marker"));
  EXPECT_THAT(page, HasSubstr("<tr class=\"bad\"><td><code>commit_order</code></td>"));
  EXPECT_THAT(page, HasSubstr("<a href=\"runs/2-fault-null/console.log\">"));
  EXPECT_THAT(page, HasSubstr("<a href=\"runs/2-fault-null/repro.json\">"));
  EXPECT_THAT(page, HasSubstr("osharness repro runs/2-fault-null/repro.json"));
  // QEMU's status 3 is the exit device's encoding of the guest's code 1, not QEMU failing.
  EXPECT_THAT(page, HasSubstr("guest exited with code 1 through isa-debug-exit (QEMU exit status "
                              "3); shutdown reason guest-reset"));
  EXPECT_THAT(page, Not(HasSubstr("exited with status 3")));
}

TEST_F(HtmlReportTest, DrawsCampaignChartsAndEveryChartOfEveryRun) {
  const auto page = render(testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped));
  // Every spec ran once: its figures are numbers, not charts of one point.
  EXPECT_EQ(count(page, "data-chart-id=\"spec."), 0u);
  EXPECT_THAT(page,
              HasSubstr("<h3>boot-smoke</h3><dl class=\"facts\"><dt>boot_ms</dt><dd>38.5 ms"));
  EXPECT_EQ(count(page, "data-chart-id=\"soak.metrics\""), 2u);
  EXPECT_EQ(count(page, "data-chart-id=\"stress.cpu.degradation\""), 1u);
  EXPECT_EQ(count(page, "data-chart-id=\"perf.buffer_commit.latency\""), 1u);
  EXPECT_EQ(count(page, "data-chart-id=\"empty\""), 1u);
  EXPECT_EQ(count(page, "<svg class=\"chart\""), 5u);
  // The malformed chart is named, not fatal.
  EXPECT_THAT(page, HasSubstr("chart not drawn: run #7 analysis: charts[1]: kind: expected "
                              "&quot;line&quot;, &quot;histogram&quot;, &quot;scatter&quot; or "
                              "&quot;bars&quot;, got "
                              "&quot;pie&quot;"));
}

TEST_F(HtmlReportTest, MarksDeterministicRunsAndSaysWhyOthersAreNot) {
  auto outcome = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  ASSERT_GE(outcome.runs.size(), 2u);
  outcome.runs[0].deterministic = true;
  outcome.runs[1].determinism = "faults: applied at <host> times";
  const auto page = render(outcome);
  EXPECT_THAT(page, HasSubstr(">det</span>"));
  EXPECT_THAT(page, HasSubstr("title=\"not deterministic: faults: applied at &lt;host&gt; "
                              "times\">non-det</span>"));
}

TEST_F(HtmlReportTest, AnEmptyCampaignSaysSo) {
  campaign::CampaignOutcome o;
  o.info.finished = true;
  const auto page = render(o);
  EXPECT_THAT(page, HasSubstr("<div class=\"verdict\">PASS</div>"));
  EXPECT_THAT(page, HasSubstr("No run was recorded."));
  EXPECT_THAT(page, Not(HasSubstr("<svg")));
  EXPECT_THAT(page, Not(HasSubstr("id=\"filter\"")));
  EXPECT_THAT(page, HasSubstr("</html>\n"));
}

TEST_F(HtmlReportTest, AnInterruptedOrKilledCampaignSaysSo) {
  auto o = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  o.runs.resize(1);  // the PASS run
  o.info.interrupted = true;
  auto page = render(o);
  EXPECT_THAT(page, HasSubstr("<header class=\"banner v-INFRA_ERROR\">"));
  EXPECT_THAT(page, HasSubstr(" · <strong>interrupted</strong>"));
  EXPECT_THAT(page, HasSubstr("interrupted: stopped by a signal before every run was done"));
  o.info.interrupted = false;
  o.info.finished = false;
  o.info.incomplete = {"no end record: the harness was killed"};
  page = render(o);
  EXPECT_THAT(page, HasSubstr("<header class=\"banner v-INFRA_ERROR\">"));
  EXPECT_THAT(page, HasSubstr(" · <strong>incomplete</strong>"));
  EXPECT_THAT(page, HasSubstr("incomplete<br>no end record: the harness was killed"));
}

TEST_F(HtmlReportTest, ShowsTheConsoleTailOfAFailedRunInlineEscaped) {
  for (const auto bytes : {GuestBytes::Escaped, GuestBytes::Raw}) {
    const auto page = render(testing::synthetic_outcome(dir_.path(), bytes));
    const auto at = page.find("<h3>Console, last lines</h3><pre class=\"console\">");
    ASSERT_NE(at, std::string::npos);
    // Inside the CRASH run's details, after its crash frames.
    EXPECT_GT(at, page.find("id=\"run-2\""));
    EXPECT_LT(at, page.find("id=\"run-3\""));
    const auto pre = page.substr(at, page.find("</pre>", at) - at);
    EXPECT_THAT(pre, HasSubstr("RAYOS_BOOT:START:0.1 #0\n&lt;script&gt;alert(1)&lt;/script&gt; "
                               "]]&gt; &quot;quoted&quot; &#39;single&#39; &amp; \\x00 NUL "
                               "\\x1b[2J ESC \\xff bad"));
    EXPECT_THAT(pre, HasSubstr("RAYOS_SYS:PANIC:PAGE_FAULT:x #1\n"));
  }
}

TEST_F(HtmlReportTest, ShowsOnlyTheLastLinesAndNoneForAPassedRun) {
  auto o = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  std::string log;
  for (int i = 0; i < 100; ++i) log += "console line " + std::to_string(i) + "\n";
  for (const int index : {0, 1}) {  // the PASS and the FAIL run
    std::filesystem::create_directories((dir_.path() / o.runs[index].console_log).parent_path());
    std::ofstream(dir_.path() / o.runs[index].console_log, std::ios::binary) << log;
  }
  const auto page = render(o);
  EXPECT_EQ(count(page, "<pre class=\"console\">"), 2u);  // the FAIL and the CRASH run
  const auto from = "console line " + std::to_string(100 - kConsoleTailLines) + "\n";
  EXPECT_THAT(page, HasSubstr("<pre class=\"console\">" + from));
  EXPECT_THAT(page, HasSubstr("console line 99\n</pre>"));
  EXPECT_THAT(page,
              Not(HasSubstr("console line " + std::to_string(99 - kConsoleTailLines) + "\n")));
}

TEST_F(HtmlReportTest, ReadsNoConsoleLogOutsideTheOutputFolder) {
  auto o = testing::synthetic_outcome(dir_.path() / "out", GuestBytes::Escaped);
  std::filesystem::create_directories(dir_.path() / "out");
  std::ofstream(dir_.path() / "secret.log") << "do not show\n";
  o.runs[1].console_log = "../secret.log";
  o.runs[3].console_log = (dir_.path() / "secret.log").string();
  std::filesystem::create_directories(dir_.path() / "out" / "runs");
  std::filesystem::create_symlink(dir_.path() / "secret.log", dir_.path() / "out/runs/link.log");
  o.runs[2].console_log = "runs/link.log";
  for (auto& r : o.runs) r.verdict = campaign::Verdict::Fail;
  EXPECT_THAT(render(o), Not(HasSubstr("do not show")));
}

TEST(LastLines, KeepsTheLastLinesWhole) {
  EXPECT_EQ(last_lines("a\nb\nc\n", 2), "b\nc\n");
  EXPECT_EQ(last_lines("a\nb\nc", 2), "b\nc");
  EXPECT_EQ(last_lines("a\nb\nc\n", 3), "a\nb\nc\n");
  EXPECT_EQ(last_lines("a\nb\nc\n", 9), "a\nb\nc\n");
  EXPECT_EQ(last_lines("\n\n\n", 1), "\n");
  EXPECT_EQ(last_lines("", 3), "");
  EXPECT_EQ(last_lines("a\n", 0), "");
}

TEST(RelativeHref, EncodesPlainRelativePathsAndRefusesEverythingElse) {
  EXPECT_EQ(relative_href("runs/003-boot/console.log"), "runs/003-boot/console.log");
  EXPECT_EQ(relative_href("runs/a b#c?d\"<>/log"), "runs/a%20b%23c%3Fd%22%3C%3E/log");
  for (const char* bad : {"", "/etc/passwd", "http://example.com/x", "javascript:alert(1)",
                          "../secret", "runs/../../x", "C:\\x"})
    EXPECT_EQ(relative_href(bad), std::nullopt) << bad;
}

TEST(HtmlClipped, CountsCharactersAsShownAndNeverCutsAnEntity) {
  EXPECT_EQ(html_clipped("abc", 3), "abc");
  EXPECT_EQ(html_clipped("abcd", 3), "abc\xE2\x80\xA6");
  EXPECT_EQ(html_clipped("a\xC3\xA9z", 2), "a\xC3\xA9\xE2\x80\xA6");  // é is one character
  EXPECT_EQ(html_clipped("<<<<", 2), "&lt;&lt;\xE2\x80\xA6");
  EXPECT_EQ(html_clipped(std::string("a\0b", 3), 3), "a\\x\xE2\x80\xA6");  // NUL shows as 4
  EXPECT_EQ(shown_chars(std::string("<\0\xC3\xA9", 4)), 1u + 4u + 1u);
}

}  // namespace
}  // namespace osh::reports
