#include "reports/svg_chart.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <regex>

namespace osh::reports {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMax = std::numeric_limits<double>::max();

// Every number in every coordinate attribute of the SVG.
std::vector<double> coordinates(const std::string& svg) {
  static const std::regex attr(R"re(\b(?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)")re");
  std::vector<double> out;
  for (std::sregex_iterator it(svg.begin(), svg.end(), attr), end; it != end; ++it)
    out.push_back(std::stod((*it)[1]));
  static const std::regex path(R"re(\bd="([^"]*)")re");
  for (std::sregex_iterator it(svg.begin(), svg.end(), path), end; it != end; ++it) {
    static const std::regex num(R"re(-?[0-9.]+(?:e[-+]?[0-9]+)?)re");
    const std::string d = (*it)[1];
    for (std::sregex_iterator n(d.begin(), d.end(), num), e; n != e; ++n)
      out.push_back(std::stod(n->str()));
  }
  return out;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t i = 0; (i = text.find(what, i)) != std::string::npos; i += what.size()) ++n;
  return n;
}

stats::Chart line(std::vector<stats::Point> points) {
  stats::Chart c;
  c.title = "t";
  c.series.push_back({"s", std::move(points)});
  return c;
}

TEST(LinearTicks, AreNiceNumbersCoveringTheRange) {
  const auto t = linear_ticks(3, 97, 5);
  EXPECT_THAT(t.values, ElementsAre(0, 20, 40, 60, 80, 100));
  EXPECT_THAT(t.labels, ElementsAre("0", "20", "40", "60", "80", "100"));
  EXPECT_EQ(t.lo, 0);
  EXPECT_EQ(t.hi, 100);
}

TEST(LinearTicks, UseOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_THAT(linear_ticks(0, 1, 5).values, ElementsAre(0, 0.2, 0.4, 0.6, 0.8, 1.0));
  EXPECT_THAT(linear_ticks(0, 1, 5).labels, ElementsAre("0", "0.2", "0.4", "0.6", "0.8", "1.0"));
  EXPECT_THAT(linear_ticks(-7, 12, 4).values, ElementsAre(-10, -5, 0, 5, 10, 15));
  EXPECT_THAT(linear_ticks(0.0011, 0.0049, 4).labels,
              ElementsAre("0.001", "0.002", "0.003", "0.004", "0.005"));
}

TEST(LinearTicks, KeepAMinimumStep) {
  EXPECT_THAT(linear_ticks(0, 1, 5, 1).values, ElementsAre(0, 1));
  EXPECT_THAT(linear_ticks(0, 3, 5, 1).values, ElementsAre(0, 1, 2, 3));
  EXPECT_THAT(linear_ticks(0, 300, 5, 1).values, ElementsAre(0, 100, 200, 300));
}

TEST(LinearTicks, ExactDecimalsWithoutAccumulatedError) {
  // 0.1 + 0.1 + 0.1 != 0.3; ticks are computed as k / 10.
  const auto t = linear_ticks(0.1, 0.3, 2);
  for (const double v : t.values) EXPECT_EQ(v, std::round(v * 10) / 10);
}

TEST(LinearTicks, LargeMagnitudesGetASuffix) {
  EXPECT_THAT(linear_ticks(0, 250'000, 5).labels,
              ElementsAre("0", "50k", "100k", "150k", "200k", "250k"));
  EXPECT_THAT(linear_ticks(1e6, 3e6, 2).labels, ElementsAre("1M", "2M", "3M"));
  EXPECT_THAT(linear_ticks(0, 5e20, 5).labels,
              ElementsAre("0", "1e+20", "2e+20", "3e+20", "4e+20", "5e+20"));
}

TEST(LinearTicks, ASingleValueGetsAnIntervalAroundIt) {
  const auto zero = linear_ticks(0, 0, 5);
  EXPECT_LT(zero.lo, 0);
  EXPECT_GT(zero.hi, 0);
  const auto v = linear_ticks(41.5, 41.5, 5);
  EXPECT_LT(v.lo, 41.5);
  EXPECT_GT(v.hi, 41.5);
  EXPECT_GE(v.values.size(), 2u);
}

TEST(LinearTicks, HugeRangesStayFinite) {
  for (const int max_ticks : {2, 3, 5, 10})
    for (const auto& [lo, hi] : {std::pair{-kMax, kMax}, std::pair{0.0, kMax},
                                 std::pair{kMax, kMax}, std::pair{1e300, 1e300 * (1 + 1e-15)}}) {
      const auto t = linear_ticks(lo, hi, max_ticks);
      ASSERT_GE(t.values.size(), 2u) << lo << " " << hi;
      EXPECT_LE(t.values.size(), static_cast<size_t>(max_ticks) + 3);
      for (const double v : t.values) EXPECT_TRUE(std::isfinite(v)) << lo << " " << hi;
      EXPECT_TRUE(std::is_sorted(t.values.begin(), t.values.end()));
      EXPECT_LE(t.lo, lo);
      EXPECT_GE(t.hi, std::min(hi, kMax));
      EXPECT_EQ(t.labels.size(), t.values.size());
    }
}

TEST(LinearTicks, SubnormalRangesStillHaveTwoEnds) {
  for (const auto& [lo, hi] :
       {std::pair{0.0, 1e-320}, std::pair{1e-320, 1e-320}, std::pair{4.9e-324, 1e-323}}) {
    const auto t = linear_ticks(lo, hi, 5);
    ASSERT_GE(t.values.size(), 2u);
    EXPECT_EQ(t.labels.size(), t.values.size());
    EXPECT_LE(t.lo, lo);
    EXPECT_GE(t.hi, hi);
  }
}

TEST(LogTicks, ArePowersOfTenWithTwosAndFivesOnShortAxes) {
  EXPECT_THAT(log_ticks(15, 900, 8).values, ElementsAre(10, 20, 50, 100, 200, 500, 1000));
  EXPECT_THAT(log_ticks(15, 900, 8).labels,
              ElementsAre("10", "20", "50", "100", "200", "500", "1k"));
  EXPECT_THAT(log_ticks(8, 150'000, 8).values, ElementsAre(1, 10, 100, 1e3, 1e4, 1e5, 1e6));
  EXPECT_THAT(log_ticks(0.002, 0.03, 8).labels,
              ElementsAre("0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1"));
}

TEST(LogTicks, ThinOutManyDecades) {
  const auto t = log_ticks(1e-200, 1e200, 8);
  EXPECT_LE(t.values.size(), 9u);
  EXPECT_LE(t.lo, 1e-200);
  EXPECT_GE(t.hi, 1e200);
  for (const double v : t.values) EXPECT_TRUE(std::isfinite(v) && v > 0);
}

TEST(Scale, MapsLinearlyAndByLog) {
  const Scale lin(0, 100, 50, 250, false);
  EXPECT_DOUBLE_EQ(lin(0), 50);
  EXPECT_DOUBLE_EQ(lin(25), 100);
  EXPECT_DOUBLE_EQ(lin(100), 250);
  const Scale inverted(0, 10, 200, 0, false);  // y axes grow upwards
  EXPECT_DOUBLE_EQ(inverted(10), 0);
  const Scale log(1, 1000, 0, 300, true);
  EXPECT_DOUBLE_EQ(log(10), 100);
  EXPECT_DOUBLE_EQ(log(100), 200);
}

TEST(Scale, ClampsToTheRangeAndNeverOverflows) {
  const Scale lin(0, 100, 50, 250, false);
  EXPECT_DOUBLE_EQ(lin(-1e308), 50);
  EXPECT_DOUBLE_EQ(lin(1e308), 250);
  EXPECT_DOUBLE_EQ(lin(kNaN), 50);
  const Scale huge(-kMax, kMax, 0, 100, false);
  EXPECT_DOUBLE_EQ(huge(0), 50);
  EXPECT_DOUBLE_EQ(huge(kMax), 100);
  const Scale log(1, 1000, 0, 300, true);
  EXPECT_DOUBLE_EQ(log(0), 0);
  EXPECT_DOUBLE_EQ(log(-5), 0);
}

TEST(RenderSvg, EmptySeriesSaysNoData) {
  const auto svg = render_svg(line({}));
  EXPECT_THAT(svg, HasSubstr(">no data</text>"));
  EXPECT_THAT(svg, Not(HasSubstr("<path")));
  stats::Chart none;
  none.kind = stats::Chart::Kind::Histogram;
  EXPECT_THAT(render_svg(none), HasSubstr(">no data</text>"));
}

TEST(RenderSvg, OnePointIsADot) {
  const auto svg = render_svg(line({{5, 41.5}}));
  EXPECT_THAT(svg, Not(HasSubstr("no data")));
  EXPECT_EQ(count(svg, "<circle"), 1u);
}

TEST(RenderSvg, NonFinitePointsAreSkippedAndBreakTheLine) {
  const auto svg =
      render_svg(line({{0, 1}, {1, 2}, {2, kNaN}, {kInf, 3}, {3, 4}, {4, -kInf}, {5, 5}, {6, 6}}));
  const std::regex path(R"re(<path d="([^"]*)")re");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, path)) << svg;
  // Three runs of finite points: (0,1)-(1,2), (3,4), (5,5)-(6,6).
  EXPECT_EQ(count(m[1], "M"), 3u) << m[1];
  EXPECT_EQ(count(m[1], "L"), 2u) << m[1];
  EXPECT_EQ(count(svg, "<circle"), 5u);
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
  EXPECT_THAT(svg, Not(HasSubstr("inf")));
}

TEST(RenderSvg, HugeValuesGiveCoordinatesInsideTheChart) {
  for (const auto& points : {std::vector<stats::Point>{{0, -kMax}, {1, kMax}},
                             std::vector<stats::Point>{{-kMax, 1}, {kMax, 2}},
                             std::vector<stats::Point>{{0, 1e300}, {1, 1e300}},
                             std::vector<stats::Point>{{0, 1.8e19}, {1e18, 1.8e19 + 4096}}}) {
    const auto svg = render_svg(line(points), {400, 200});
    for (const double v : coordinates(svg)) {
      EXPECT_TRUE(std::isfinite(v)) << svg;
      EXPECT_GE(v, -1) << svg;
      EXPECT_LE(v, 400) << svg;
    }
  }
}

TEST(RenderSvg, LinesHaveALegendWhenThereAreSeveralSeries) {
  stats::Chart c = line({{0, 1}, {1, 2}});
  EXPECT_THAT(render_svg(c), Not(HasSubstr(">s</text>")));
  c.series.push_back({"other", {{0, 3}, {1, 1}}});
  const auto svg = render_svg(c);
  EXPECT_THAT(svg, HasSubstr(">s</text>"));
  EXPECT_THAT(svg, HasSubstr(">other</text>"));
  EXPECT_EQ(count(svg, "<path"), 2u);
}

TEST(RenderSvg, AxesShowTitlesWithUnitsAndTicks) {
  stats::Chart c = line({{0, 3}, {600, 97}});
  c.x_label = "guest time";
  c.x_unit = "s";
  c.y_label = "fps";
  const auto svg = render_svg(c);
  EXPECT_THAT(svg, HasSubstr(">guest time (s)</text>"));
  EXPECT_THAT(svg, HasSubstr(">fps</text>"));
  for (const char* tick : {">0</text>", ">20</text>", ">100</text>", ">600</text>"})
    EXPECT_THAT(svg, HasSubstr(tick));
}

TEST(RenderSvg, ShadesAndRulesAreDrawnWithTheirLabels) {
  stats::Chart c = line({{0, 1}, {100, 2}});
  c.shades = {{20, 30, "fault: pause"}};
  c.rules = {{50, "p99 = 1830 us"}};
  const auto svg = render_svg(c);
  EXPECT_THAT(svg, HasSubstr(">fault: pause</text>"));
  EXPECT_THAT(svg, HasSubstr(">p99 = 1830 us</text>"));
  EXPECT_THAT(svg, HasSubstr("stroke-dasharray"));
  EXPECT_THAT(svg, HasSubstr("fill-opacity"));
}

TEST(RenderSvg, HistogramsDrawOneBarPerNonEmptyBucket) {
  stats::Chart c;
  c.kind = stats::Chart::Kind::Histogram;
  c.series.push_back({"latency", {{10, 4}, {20, 0}, {50, 9}, {100, 1}}});
  c.log_x = true;
  c.rules = {{60, "p50"}, {90, "p90"}, {99, "p99"}};
  const auto svg = render_svg(c);
  EXPECT_EQ(count(svg, "<rect"), 4u) << svg;  // the plot frame and three bars
  EXPECT_THAT(svg, HasSubstr("<title>50\xE2\x80\x93"
                             "100: 9</title>"));
  for (const char* label : {">p50</text>", ">p90</text>", ">p99</text>"})
    EXPECT_THAT(svg, HasSubstr(label));
  // Counts are whole: one run in a bucket gives ticks 0 and 1, not 0.2, 0.4, ...
  c.series = {{"runs", {{38, 1}, {39, 1}}}};
  c.rules.clear();
  c.log_x = false;
  EXPECT_THAT(render_svg(c), Not(HasSubstr(">0.2</text>")));
  EXPECT_THAT(render_svg(c), HasSubstr(">1</text>"));
}

TEST(RenderSvg, EveryLabelIsEscaped) {
  const std::string evil = "<script>alert(1)</script>\"&'";
  stats::Chart c = line({{0, 1}, {1, 2}});
  c.id = c.title = c.x_label = c.x_unit = c.y_label = c.y_unit = evil;
  c.series.push_back({evil, {{0, 2}}});
  c.shades = {{0, 1, evil}};
  c.rules = {{0.5, evil}};
  const auto svg = render_svg(c);
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("\"&'")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;"));
}

}  // namespace
}  // namespace osh::reports
