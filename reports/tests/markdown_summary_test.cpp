#include "reports/markdown_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

using testing::GuestBytes;
using ::testing::HasSubstr;
using ::testing::Not;

std::string render(const campaign::CampaignOutcome& outcome) {
  std::ostringstream out;
  MarkdownSummary().write(outcome, out);
  return out.str();
}

TEST(MarkdownSummary, GivesTheVerdictCountsAndTheRunsThatDidNotPass) {
  testing::TempDir dir;
  const auto md = render(testing::synthetic_outcome(dir.path(), GuestBytes::Escaped));
  EXPECT_EQ(md.rfind("## osharness: CRASH\n\n8 runs: 1 PASS, 2 FAIL, 1 CRASH, 1 HANG, 1 TIMEOUT, "
                     "1 INFRA_ERROR, 1 FLAKY.\n\n",
                     0),
            0u)
      << md;
  // One line per spec, then the failures grouped: the two FAIL runs are one group, the crash
  // carries its top frames (no offsets) and how to reproduce it.
  EXPECT_THAT(md, HasSubstr("| spec | runs | pass rate | verdicts |\n"));
  EXPECT_THAT(md, HasSubstr("| fault-null | 1 | 0.0 % | 1 CRASH |\n"));
  EXPECT_THAT(md, HasSubstr("| 2 | FAIL | "));
  EXPECT_THAT(md,
              HasSubstr("| 1 | CRASH \\| rayos\\_fault\\_null\\_dereference &lt; kernel\\_main | "
                        "guest panic PAGE\\_FAULT cr2=0x0 &lt;script&gt; | #2 fault-null | "
                        "#2 fault-null | 1002 | osharness repro "));
  EXPECT_THAT(md, Not(HasSubstr("#0 boot-smoke")));  // the run that passed
  EXPECT_THAT(md,
              HasSubstr("Boot to `BOOT:READY`: median 43.8 ms (min 38.5, max 50.8, 7 runs).\n"));
  EXPECT_THAT(md, HasSubstr("> ⚠ journal write failed: No space left on device\n"));
}

TEST(MarkdownSummary, CountsTheGuestsOwnTests) {
  testing::TempDir dir;
  auto outcome = testing::synthetic_outcome(dir.path(), GuestBytes::Escaped);
  for (auto& r : outcome.runs) r.guest_tests.clear();
  EXPECT_THAT(render(outcome), Not(HasSubstr("Guest tests:")));
  outcome.runs[0].guest_tests = {{"a", campaign::Verdict::Pass, "", 1},
                                 {"b", campaign::Verdict::Fail, "not ok", 1},
                                 {"c", campaign::Verdict::Pass, "SKIP", 0, true}};
  EXPECT_THAT(render(outcome), HasSubstr("Guest tests: 1 passed, 1 failed, 1 skipped.\n"));
}

TEST(MarkdownSummary, GuestTextCannotBreakTheTableOrInjectHtml) {
  testing::TempDir dir;
  for (const auto bytes : {GuestBytes::Raw, GuestBytes::Escaped}) {
    const auto md = render(testing::synthetic_outcome(dir.path(), bytes));
    EXPECT_THAT(md, Not(HasSubstr("<script")));
    EXPECT_THAT(md, Not(HasSubstr("<img")));
    EXPECT_EQ(md.find('\0'), std::string::npos);
    EXPECT_EQ(md.find('\x1b'), std::string::npos);
    // Every table row has as many cells as its table's header: no guest '|' or newline split
    // one.
    std::istringstream lines(md);
    size_t header_bars = 0;
    int rows = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("|", 0) != 0) {
        header_bars = 0;
        continue;
      }
      size_t bars = 0;
      for (size_t i = 0; i < line.size(); ++i)
        bars += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
      if (header_bars == 0) header_bars = bars;
      EXPECT_EQ(bars, header_bars) << line;
      ++rows;
    }
    EXPECT_GT(rows, 10);
  }
}

TEST(MarkdownSummary, StaysShortForAThousandRunsWhateverTheyHold) {
  // Every run a spec of its own, failing its own way with a 2 KiB reason and signature full of
  // characters that need escaping, long names, fifty warnings: the worst a campaign can do to
  // the summary.
  auto o = testing::many_runs(1000, 0);
  for (auto& r : o.runs) {
    r.verdict = campaign::Verdict::Crash;
    r.name = std::string(300, '|') + std::to_string(r.index);
    r.reason.clear();
    for (int i = 0; i < 256; ++i) r.reason += "<&\x01\xff\xE2\x82\xAC_";
    r.signature = r.reason + std::to_string(r.index);
    r.repro_bundle = "runs/" + r.name + "/repro.json";
    r.boot_ms = 123456.789;
  }
  for (int i = 0; i < 50; ++i) o.info.warnings.push_back(std::string(1000, '&'));
  o.info.interrupted = true;
  const auto md = render(o);
  EXPECT_LT(md.size(), kSummaryMaxBytes) << md;
  EXPECT_THAT(md, HasSubstr("… and 990 more rows; see report.html.\n"));  // specs
  EXPECT_THAT(md, HasSubstr("… and 995 more rows; see report.html.\n"));  // failure groups
  EXPECT_THAT(md, HasSubstr("> … and 47 more warnings; see report.html.\n"));

  const auto typical = render(testing::many_runs(1000, 0));
  EXPECT_LT(typical.size(), kSummaryMaxBytes);
  EXPECT_THAT(typical, HasSubstr("1000 runs: 900 PASS, 100 FAIL."));
}

TEST(MarkdownSummary, LinksTheFullReportWhenGivenItsUrl) {
  testing::TempDir dir;
  auto outcome = testing::synthetic_outcome(dir.path(), GuestBytes::Escaped);
  EXPECT_THAT(render(outcome), Not(HasSubstr("Full report")));
  outcome.info.report_url = "https://ci.example.org/job/42/artifact/out/report.html";
  EXPECT_THAT(render(outcome),
              HasSubstr("1 FLAKY.\n\nFull report: "
                        "<https://ci.example.org/job/42/artifact/out/report.html>\n\n"));
  // A URL that could break out of the autolink is never printed.
  outcome.info.report_url = "https://x/<script>";
  EXPECT_THAT(render(outcome), Not(HasSubstr("Full report")));
}

TEST(ReportUrl, OnlyHttpUrlsThatStayOneAutolink) {
  EXPECT_EQ(report_url_problem("https://ci.example.org/a?b=c&d=%20e#f"), "");
  EXPECT_EQ(report_url_problem("http://host:8080/x"), "");
  EXPECT_THAT(report_url_problem("file:///etc/passwd"), HasSubstr("http:// or https://"));
  for (const char* bad : {"https://a b", "https://a>b", "https://a\"b", "https://a`b",
                          "https://a\nb", "https://\xc3\xa9"})
    EXPECT_THAT(report_url_problem(bad), HasSubstr("may not hold")) << bad;
}

TEST(MarkdownCell, EscapesMarkdownAndCutsOnlyBetweenEscapes) {
  EXPECT_EQ(markdown_cell("a|b_c*[d]`e\\x1b"), "a\\|b\\_c\\*\\[d\\]\\`e\\\\x1b");
  EXPECT_EQ(markdown_cell("<b>"), "&lt;b&gt;");
  EXPECT_EQ(markdown_cell("abc", 3), "abc");
  EXPECT_EQ(markdown_cell("abcdef", 5), "ab\xE2\x80\xA6");
  EXPECT_EQ(markdown_cell("<<<<", 10), "&lt;\xE2\x80\xA6");   // never "&l…"
  EXPECT_EQ(markdown_cell("||||", 7), "\\|\\|\xE2\x80\xA6");  // never a lone backslash
  EXPECT_EQ(markdown_cell("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", 7), "\xE2\x82\xAC\xE2\x80\xA6");
}

}  // namespace
}  // namespace osh::reports
