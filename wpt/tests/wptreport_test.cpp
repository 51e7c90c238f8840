#include <gtest/gtest.h>

#include <sstream>

#include "reports/html_report.h"
#include "reports/markdown_summary.h"
#include "wpt/dashboard.h"
#include "wpt/wptreport_writer.h"

namespace osh::wpt {
namespace {

nlohmann::json wpt_analysis(int shard, std::vector<nlohmann::json> results) {
  return {{"product", "rayos"},
          {"os", "rayos"},
          {"browser_version", "0.1.0"},
          {"revision", "0e9d465d283841979b44e109ed269dc72d34a050"},
          {"wpt_revisions", {{"/url/", nullptr}}},
          {"shard", shard},
          {"shards", 2},
          {"pinned_subtests", {{"/url/", 6}, {"/fetch/data-urls/", 2}}},
          {"results", results}};
}

nlohmann::json result(const std::string& test,
                      std::vector<std::pair<std::string, std::string>> subtests) {
  nlohmann::json j = {{"test", test},   {"subsuite", ""},
                      {"status", "OK"}, {"message", nullptr},
                      {"duration", 3},  {"subtests", nlohmann::json::array()}};
  for (const auto& [name, status] : subtests)
    j["subtests"].push_back({{"name", name}, {"status", status}, {"message", nullptr}});
  return j;
}

campaign::CampaignOutcome campaign_of(std::vector<nlohmann::json> analyses) {
  campaign::CampaignOutcome o;
  int64_t start = 1'700'000'000'000;
  for (auto& a : analyses) {
    campaign::RunResult r;
    r.index = static_cast<int>(o.runs.size());
    r.started_unix_ms = start;
    r.duration_ms = 1500;
    start += 100;
    if (!a.is_null()) r.analysis["wpt"] = std::move(a);
    o.runs.push_back(std::move(r));
  }
  return o;
}

TEST(WptReport, MergesShardsIntoOneReportAsWptFyiReadsIt) {
  auto bad = result("/url/b.any.html", {{"x", "FAIL"}});
  bad["subtests"][0]["expected"] = "PASS";
  const auto o =
      campaign_of({wpt_analysis(0, {result("/url/a.any.html", {{"s\xE2\x80\xA6", "PASS"}})}),
                   wpt_analysis(1, {bad, result("/url/a.any.html", {{"s", "FAIL"}})})});
  WptReportWriter w;
  EXPECT_TRUE(w.applies(o));
  std::ostringstream out;
  w.write(o, out);
  const auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["run_info"]["product"], "rayos");
  EXPECT_EQ(j["run_info"]["browser_version"], "0.1.0");
  EXPECT_EQ(j["run_info"]["os"], "rayos");
  EXPECT_EQ(j["run_info"]["revision"].get<std::string>().size(), 40u);
  EXPECT_EQ(j["time_start"], 1'700'000'000'000);
  EXPECT_EQ(j["time_end"], 1'700'000'000'100 + 1500);
  // A test reported again (a repeat) keeps its first result: wpt.fyi refuses duplicates.
  ASSERT_EQ(j["results"].size(), 2u);
  EXPECT_EQ(j["results"][0]["test"], "/url/a.any.html");
  EXPECT_EQ(j["results"][0]["subtests"][0]["status"], "PASS");
  EXPECT_EQ(j["results"][1]["subtests"][0]["expected"], "PASS");
  // Byte for byte the same from the same outcome (reports regenerate from the journal).
  std::ostringstream again;
  w.write(o, again);
  EXPECT_EQ(again.str(), out.str());
}

TEST(WptReport, OnlyCampaignsWithWptRunsGetOne) {
  EXPECT_FALSE(WptReportWriter().applies(campaign_of({nullptr, nullptr})));
  EXPECT_FALSE(wpt_dashboard(campaign_of({nullptr})));
}

TEST(WptDashboard, CountsPerDirectoryAgainstThePinnedTotals) {
  const auto o = campaign_of({wpt_analysis(
      0, {result("/url/a.any.html", {{"1", "PASS"}, {"2", "PASS"}, {"3", "PRECONDITION_FAILED"}}),
          result("/url/b.any.html", {{"1", "FAIL"}}),
          result("/fetch/data-urls/c.any.html", {{"1", "PASS"}, {"2", "PASS"}})})});
  const auto panel = wpt_dashboard(o);
  ASSERT_TRUE(panel);
  const auto& dirs = panel->tables.at(0);
  ASSERT_EQ(dirs.rows.size(), 2u);
  // directory, pinned, reported, PASS, FAIL, PRECONDITION_FAILED, other, unexpected, rates
  EXPECT_EQ(dirs.rows[1], (std::vector<std::string>{"/url/", "6", "4", "2", "1", "1", "0", "0",
                                                    "33.3 %", "66.7 %"}));
  EXPECT_EQ(dirs.rows[0][0], "/fetch/data-urls/");
  EXPECT_EQ(dirs.rows[0][8], "100.0 %");
  const auto& chart = panel->charts.at(0);
  EXPECT_EQ(chart.kind, stats::Chart::Kind::Bars);
  EXPECT_EQ(chart.categories, (std::vector<std::string>{"/fetch/data-urls/", "/url/"}));
  EXPECT_EQ(chart.series[3].points[1].y, 2);  // /url/: 6 pinned, 4 run
  EXPECT_EQ(panel->tables.at(1).rows.size(), 3u);
}

TEST(WptDashboard, ReportHtmlDrawsItEscaped) {
  const auto o =
      campaign_of({wpt_analysis(0, {result("/url/<script>.any.html", {{"1", "PASS"}})})});
  reports::HtmlReport html({wpt_dashboard});
  std::ostringstream out;
  html.write(o, out);
  const std::string page = out.str();
  EXPECT_NE(page.find("<h2 id=\"wpt\">Web Platform Tests</h2>"), std::string::npos);
  EXPECT_NE(page.find("data-chart-id=\"wpt.directories\""), std::string::npos);
  EXPECT_NE(page.find("/url/&lt;script&gt;.any.html"), std::string::npos);
  EXPECT_EQ(page.find("/url/<script>"), std::string::npos);
}

TEST(WptDashboard, SummaryMdGivesThePassRatesPerDirectory) {
  const auto o = campaign_of({wpt_analysis(
      0, {result("/url/a.any.html", {{"1", "PASS"}, {"2", "PASS"}, {"3", "PRECONDITION_FAILED"}}),
          result("/url/b.any.html", {{"1", "FAIL"}}),
          result("/fetch/data-urls/<c>.any.html", {{"1", "PASS"}, {"2", "PASS"}})})});
  std::ostringstream out;
  reports::MarkdownSummary({wpt_dashboard}).write(o, out);
  const std::string md = out.str();
  EXPECT_NE(md.find("### Web Platform Tests\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| directory | PASS | FAIL | PRECONDITION\\_FAILED | unexpected | pass rate | "
                    "pass rate (runnable) |\n|---|---:|---:|---:|---:|---:|---:|\n"),
            std::string::npos)
      << md;
  // /url/ pins 6 subtests (fixture), 4 reported: 2 PASS of 6 pinned, 2 of 3 runnable.
  EXPECT_NE(md.find("| /url/ | 2 | 1 | 1 | 0 | 33.3 % | 66.7 % |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| /fetch/data-urls/ | 2 | 0 | 0 | 0 |"), std::string::npos) << md;
  // Without the panel (a campaign with no WPT run) there is no section.
  std::ostringstream plain;
  reports::MarkdownSummary({wpt_dashboard}).write(campaign_of({nullptr}), plain);
  EXPECT_EQ(plain.str().find("Web Platform Tests"), std::string::npos);
}

}  // namespace
}  // namespace osh::wpt
