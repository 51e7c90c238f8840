#include "reports/history_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

using campaign::Verdict;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// A nightly that started at `start_ms`: `boot` runs of spec "boot" (the first `failed` of them
// FAIL), boot times base, base + 1, ...; and one run of "soak" when `with_soak`.
campaign::CampaignOutcome nightly(int64_t start_ms, int boot, int failed, double base,
                                  bool with_soak) {
  campaign::CampaignOutcome o;
  o.info.started_unix_ms = start_ms;
  o.info.harness_version = "0.1.0+test";
  o.info.finished = true;
  const auto add = [&](const std::string& name, Verdict v, double boot_ms) {
    campaign::RunResult r;
    r.index = static_cast<int>(o.runs.size());
    r.name = name;
    r.verdict = v;
    r.boot_ms = boot_ms;
    r.criteria = {{"boot_ms <= 200", "boot_ms", boot_ms, 200, true}};
    o.runs.push_back(std::move(r));
  };
  for (int i = 0; i < boot; ++i) add("boot", i < failed ? Verdict::Fail : Verdict::Pass, base + i);
  if (with_soak) add("soak <b>", Verdict::Pass, 900);
  return o;
}

History three_nights() {
  // Given out of order: the history orders them by start time.
  return build_history({{"out/wed", nightly(3'000'000, 4, 0, 50, true)},
                        {"out/mon", nightly(1'000'000, 4, 2, 40, true)},
                        {"out/tue", nightly(2'000'000, 2, 1, 45, false)}});
}

TEST(History, OrdersCampaignsByStartAndDigestsEachSpecPerCampaign) {
  const auto h = three_nights();
  ASSERT_EQ(h.campaigns.size(), 3u);
  EXPECT_EQ(h.campaigns[0].folder, "out/mon");
  EXPECT_EQ(h.campaigns[1].folder, "out/tue");
  EXPECT_EQ(h.campaigns[2].folder, "out/wed");
  EXPECT_THAT(h.specs, ElementsAre("boot", "soak <b>"));
  const auto* mon = h.campaigns[0].spec("boot");
  ASSERT_NE(mon, nullptr);
  EXPECT_EQ(mon->runs, 4u);
  EXPECT_EQ(mon->passed, 2u);
  ASSERT_FALSE(mon->figures.empty());
  EXPECT_EQ(mon->figures[0].metric, "boot_ms");
  EXPECT_EQ(mon->figures[0].p50, 41);  // 40 41 42 43: nearest rank
  EXPECT_EQ(mon->figures[0].p99, 43);
  EXPECT_EQ(h.campaigns[1].spec("soak <b>"), nullptr);
  EXPECT_EQ(h.campaigns[2].runs, 5u);
  EXPECT_EQ(h.campaigns[2].passed, 5u);
}

TEST(History, HtmlHasATrendPerSpecAndARowPerCampaignEscaped) {
  std::ostringstream out;
  write_history_html(three_nights(), out);
  const auto page = out.str();
  EXPECT_THAT(page, HasSubstr("<h1>osharness history</h1><p>3 campaigns, 2 specs"));
  EXPECT_THAT(page, HasSubstr("data-chart-id=\"history.boot.pass_rate\""));
  EXPECT_THAT(page, HasSubstr("data-chart-id=\"history.boot.boot_ms\""));
  // Monday's row of boot: 4 runs, 50 %, 2 FAIL, 2 PASS, boot_ms p50 / p99.
  EXPECT_THAT(page, HasSubstr("<td class=\"n\">4</td><td class=\"n\">50.0 %</td><td>2 PASS, 2 "
                              "FAIL</td><td class=\"n\">41 / 43</td>"));
  EXPECT_THAT(page, HasSubstr("<td>not run</td>"));
  EXPECT_THAT(page, HasSubstr("<h2>soak &lt;b&gt;</h2>"));
  EXPECT_THAT(page, Not(HasSubstr("<b>")));
  // The spec that ran in two campaigns gets its trend; the folders are listed in order.
  EXPECT_THAT(page, HasSubstr("data-chart-id=\"history.soak &lt;b&gt;.pass_rate\""));
  EXPECT_LT(page.find("out/mon"), page.find("out/tue"));
  EXPECT_LT(page.find("out/tue"), page.find("out/wed"));
  EXPECT_THAT(page, HasSubstr("Content-Security-Policy"));
}

TEST(History, NoTrendChartForASpecThatRanInOneCampaign) {
  std::ostringstream out;
  write_history_html(
      build_history({{"a", nightly(1, 3, 0, 40, false)}, {"b", nightly(2, 0, 0, 40, true)}}), out);
  EXPECT_THAT(out.str(), Not(HasSubstr("data-chart-id=\"history.")));
}

TEST(History, MarkdownAndJsonCarryTheSameFigures) {
  const auto h = three_nights();
  std::ostringstream md;
  write_history_markdown(h, md);
  EXPECT_THAT(md.str(), HasSubstr("| 1 | out/mon |"));
  EXPECT_THAT(md.str(), HasSubstr("| 50.0 % | 2 PASS, 2 FAIL | 41 / 43 |"));
  EXPECT_THAT(md.str(), HasSubstr("### soak &lt;b&gt;"));
  const auto j = history_json(h);
  ASSERT_EQ(j["campaigns"].size(), 3u);
  EXPECT_EQ(j["campaigns"][0]["folder"], "out/mon");
  EXPECT_EQ(j["campaigns"][0]["specs"]["boot"]["passed"], 2);
  EXPECT_EQ(j["campaigns"][0]["specs"]["boot"]["verdicts"]["FAIL"], 2);
  EXPECT_EQ(j["campaigns"][0]["specs"]["boot"]["figures"]["boot_ms"]["p99"], 43);
  EXPECT_FALSE(j["campaigns"][1]["specs"].contains("soak <b>"));
}

}  // namespace
}  // namespace osh::reports
