#include "reports/campaign_charts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "harness/base/errors.h"
#include "reports/html_assets.h"
#include "reports/html_report.h"
#include "reports/svg_chart.h"
#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

using campaign::Verdict;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

campaign::RunResult run(int index, std::string spec, Verdict verdict, double boot) {
  campaign::RunResult r;
  r.index = index;
  r.name = std::move(spec);
  r.verdict = verdict;
  r.boot_ms = boot;
  r.duration_ms = 1000 + index;
  r.metrics = {{"fps.min", 50.0 + index}};
  r.criteria = {{"boot_ms <= 200", "boot_ms", boot, 200, boot <= 200},
                {"fps.min >= 58", "fps.min", 50.0 + index, 58, false}};
  return r;
}

// Two specs whose runs alternate, and one spec that ran once.
campaign::CampaignOutcome interleaved() {
  campaign::CampaignOutcome o;
  o.runs = {run(0, "boot", Verdict::Pass, 40),  run(1, "soak", Verdict::Pass, 900),
            run(2, "boot", Verdict::Fail, 250), run(3, "soak", Verdict::Crash, 950),
            run(4, "boot", Verdict::Pass, 42),  run(5, "once", Verdict::Pass, 77)};
  o.runs[5].criteria.clear();
  o.runs[5].metrics.clear();
  return o;
}

const stats::Chart* find(const std::vector<stats::Chart>& charts, const std::string& id) {
  for (const auto& c : charts)
    if (c.id == id) return &c;
  return nullptr;
}

std::vector<double> xs(const stats::Series& s) {
  std::vector<double> out;
  for (const auto& p : s.points) out.push_back(p.x);
  return out;
}

TEST(SpecCharts, DrawEachSpecsRunsOnItsOwnChartColouredByVerdict) {
  const auto specs = spec_charts(interleaved());
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[0].spec, "boot");
  const auto* boot = find(specs[0].charts, "spec.boot.boot_ms");
  ASSERT_NE(boot, nullptr);
  EXPECT_EQ(boot->kind, stats::Chart::Kind::Scatter);
  EXPECT_EQ(boot->y_unit, "ms");
  // Only the boot spec's runs, one series per verdict, in the verdict's colour.
  ASSERT_EQ(boot->series.size(), 2u);
  EXPECT_EQ(boot->series[0].name, "PASS");
  EXPECT_EQ(boot->series[0].color, "#1a7f37");
  EXPECT_THAT(xs(boot->series[0]), ElementsAre(0, 4));
  EXPECT_EQ(boot->series[1].name, "FAIL");
  EXPECT_EQ(boot->series[1].color, "#cf222e");
  EXPECT_THAT(xs(boot->series[1]), ElementsAre(2));
  EXPECT_EQ(boot->series[1].points[0].y, 250);
  const auto* soak = find(specs[1].charts, "spec.soak.boot_ms");
  ASSERT_NE(soak, nullptr);
  ASSERT_EQ(soak->series.size(), 2u);
  EXPECT_THAT(xs(soak->series[0]), ElementsAre(1));
  EXPECT_EQ(soak->series[1].name, "CRASH");
  // Duration and every metric a criterion names get their chart too.
  EXPECT_NE(find(specs[0].charts, "spec.boot.duration_ms"), nullptr);
  EXPECT_NE(find(specs[0].charts, "spec.boot.fps.min"), nullptr);
}

TEST(SpecCharts, DrawEachCriterionOnItsMetricAsALabelledLevel) {
  const auto specs = spec_charts(interleaved());
  const auto* boot = find(specs[0].charts, "spec.boot.boot_ms");
  ASSERT_NE(boot, nullptr);
  ASSERT_EQ(boot->levels.size(), 1u);  // three runs, one criterion
  EXPECT_EQ(boot->levels[0].y, 200);
  EXPECT_EQ(boot->levels[0].label, "boot_ms <= 200");
  const auto* fps = find(specs[0].charts, "spec.boot.fps.min");
  ASSERT_NE(fps, nullptr);
  ASSERT_EQ(fps->levels.size(), 1u);
  EXPECT_EQ(fps->levels[0].label, "fps.min >= 58");
  EXPECT_TRUE(find(specs[0].charts, "spec.boot.duration_ms")->levels.empty());
}

TEST(SpecCharts, GiveAFigureMeasuredOnceAsANumber) {
  const auto specs = spec_charts(interleaved());
  EXPECT_TRUE(specs[2].charts.empty());
  ASSERT_EQ(specs[2].singles.size(), 2u);
  EXPECT_EQ(specs[2].singles[0].metric, "boot_ms");
  EXPECT_EQ(specs[2].singles[0].value, 77);
  EXPECT_EQ(specs[2].singles[0].unit, "ms");
  EXPECT_EQ(specs[2].singles[0].run, 5);
  EXPECT_EQ(specs[2].singles[1].metric, "duration_ms");
  EXPECT_EQ(specs[2].singles[1].value, 1005);
}

TEST(SpecCharts, AddABootDistributionWithItsBoundsForManyRuns) {
  campaign::CampaignOutcome o;
  for (int i = 0; i < 12; ++i) o.runs.push_back(run(i, "boot", Verdict::Pass, 40 + i));
  const auto specs = spec_charts(o);
  const auto* dist = find(specs[0].charts, "spec.boot.boot_ms.distribution");
  ASSERT_NE(dist, nullptr);
  ASSERT_EQ(dist->rules.size(), 2u);
  EXPECT_EQ(dist->rules[0].label, "median 45.0 ms");
  EXPECT_EQ(dist->rules[1].label, "boot_ms <= 200");
  o.runs.resize(kRunsForDistribution - 1);
  EXPECT_EQ(find(spec_charts(o)[0].charts, "spec.boot.boot_ms.distribution"), nullptr);
}

TEST(SpecCharts, StopAtTheChartedSpecLimit) {
  campaign::CampaignOutcome o;
  for (int i = 0; i < static_cast<int>(kSpecsCharted) + 5; ++i)
    o.runs.push_back(run(i, "spec" + std::to_string(i), Verdict::Pass, 40));
  EXPECT_EQ(spec_charts(o).size(), kSpecsCharted);
  std::ostringstream page;
  HtmlReport().write(o, page);
  EXPECT_THAT(page.str(), HasSubstr("5 more specs are not charted"));
}

TEST(VerdictColor, IsTheStyleSheetsColourOfTheVerdict) {
  for (const auto v : campaign::kAllVerdicts)
    EXPECT_THAT(std::string(html_style()), HasSubstr("--" + std::string(campaign::to_string(v)) +
                                                     ":" + std::string(verdict_color(v))))
        << campaign::to_string(v);
}

TEST(ScatterSvg, DrawsDotsWithoutLinesALegendAndLabelledLevels) {
  const auto specs = spec_charts(interleaved());
  const auto svg = render_svg(*find(specs[0].charts, "spec.boot.boot_ms"));
  EXPECT_THAT(svg, Not(HasSubstr("<path")));
  EXPECT_THAT(svg, HasSubstr("fill=\"#cf222e\""));
  EXPECT_THAT(svg, HasSubstr(">PASS</text>"));
  EXPECT_THAT(svg, HasSubstr(">FAIL</text>"));
  EXPECT_THAT(svg, HasSubstr("stroke=\"#b03030\" stroke-dasharray=\"6 3\"><title>boot_ms &lt;= "
                             "200</title></line>"));
  EXPECT_THAT(svg, HasSubstr(">boot_ms &lt;= 200</text>"));
}

TEST(ScatterSvg, NamesASingleVerdictInTheLegend) {
  stats::Chart c;
  c.kind = stats::Chart::Kind::Scatter;
  c.series.push_back({"PASS", {{0, 1}, {1, 2}}, "#1a7f37"});
  EXPECT_THAT(render_svg(c), HasSubstr(">PASS</text>"));
  c.kind = stats::Chart::Kind::Line;
  EXPECT_THAT(render_svg(c), Not(HasSubstr(">PASS</text>")));
}

TEST(ScatterSvg, KeepsALevelOutsideTheDataOnTheYAxis) {
  stats::Chart c;
  c.kind = stats::Chart::Kind::Scatter;
  c.series.push_back({"PASS", {{0, 40}, {1, 42}}});
  c.levels.push_back({200, "boot_ms <= 200"});
  const auto svg = render_svg(c);
  // The y axis reaches the bound: a tick at 200.
  EXPECT_THAT(svg, HasSubstr(">200</text>"));
}

TEST(ScatterSvg, PutsNoTickBetweenWholeNumbersOfX) {
  stats::Chart c;
  c.kind = stats::Chart::Kind::Scatter;
  c.series.push_back({"PASS", {{1, 40}, {2, 42}, {3, 41}}});
  const auto svg = render_svg(c);
  EXPECT_THAT(svg, HasSubstr(">2</text>"));
  EXPECT_THAT(svg, Not(HasSubstr(">1.5</text>")));
  c.series[0].points[1].x = 2.5;  // a fraction: fractional ticks are right
  EXPECT_THAT(render_svg(c), HasSubstr(">1.5</text>"));
}

TEST(HtmlCharts, DrawEverySpecApartAndNumbersForSingleRuns) {
  std::ostringstream out;
  HtmlReport().write(interleaved(), out);
  const auto page = out.str();
  EXPECT_THAT(page, HasSubstr("data-chart-id=\"spec.boot.boot_ms\""));
  EXPECT_THAT(page, HasSubstr("data-chart-id=\"spec.soak.boot_ms\""));
  EXPECT_THAT(page, Not(HasSubstr("data-chart-id=\"spec.once.")));
  EXPECT_THAT(page, HasSubstr("<h3>once</h3><dl class=\"facts\"><dt>boot_ms</dt><dd>77 ms"));
  EXPECT_THAT(page, Not(HasSubstr("campaign.boot_ms")));
}

TEST(ChartJson, CarriesLevelsColoursAndScatters) {
  const auto specs = spec_charts(interleaved());
  const auto& c = *find(specs[0].charts, "spec.boot.boot_ms");
  const auto back = stats::chart_from_json(stats::to_json(c), "test");
  EXPECT_EQ(back.kind, stats::Chart::Kind::Scatter);
  ASSERT_EQ(back.levels.size(), 1u);
  EXPECT_EQ(back.levels[0].label, "boot_ms <= 200");
  EXPECT_EQ(back.series[1].color, "#cf222e");
  EXPECT_EQ(render_svg(back), render_svg(c));
}

TEST(ChartJson, RefusesAColourThatIsNotHex) {
  auto j = stats::to_json(*find(spec_charts(interleaved())[0].charts, "spec.boot.boot_ms"));
  j["series"][0]["color"] = "red\" onload=\"x";
  try {
    stats::chart_from_json(j, "run #1 analysis: charts[0]");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("series[0]"));
    EXPECT_THAT(e.what(), HasSubstr("expected a colour as #rrggbb"));
  }
}

}  // namespace
}  // namespace osh::reports
