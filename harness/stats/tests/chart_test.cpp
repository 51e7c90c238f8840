#include "harness/stats/chart.h"

#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace osh::stats {
namespace {

Chart guest_time_chart() {
  Chart c;
  c.id = "soak.fps";
  c.series = {{"fps", {{1, 60}, {2, 59}, {3, 60}}}};
  // Snapshot k arrived at host time 100 + k s, except that the guest was paused for 5 s
  // between snapshots 2 and 3.
  c.host_clock = {{1, 101}, {2, 102}, {3, 108}};
  return c;
}

TEST(Chart, HostTimesArePlacedOnTheGuestTimeAxisByInterpolation) {
  const Chart c = guest_time_chart();
  EXPECT_DOUBLE_EQ(*x_at_host_time(c, 101), 1);
  EXPECT_DOUBLE_EQ(*x_at_host_time(c, 101.5), 1.5);
  EXPECT_DOUBLE_EQ(*x_at_host_time(c, 105), 2.5);  // halfway through the paused stretch
  EXPECT_DOUBLE_EQ(*x_at_host_time(c, 108), 3);
  EXPECT_FALSE(x_at_host_time(c, 100.9));
  EXPECT_FALSE(x_at_host_time(c, 108.1));
  EXPECT_FALSE(x_at_host_time(Chart{}, 101));
}

TEST(Chart, TheHostClockSurvivesJsonAndIsLeftOutWhenEmpty) {
  const Chart c = guest_time_chart();
  const auto back = chart_from_json(to_json(c), "t");
  ASSERT_EQ(back.host_clock.size(), 3u);
  EXPECT_DOUBLE_EQ(back.host_clock[2].x, 3);
  EXPECT_DOUBLE_EQ(back.host_clock[2].y, 108);
  EXPECT_FALSE(to_json(Chart{}).contains("host_clock"));
}

TEST(Chart, AMalformedHostClockNamesTheField) {
  auto json = to_json(guest_time_chart());
  json["host_clock"][1] = "late";
  try {
    chart_from_json(json, "report.json: runs[0].analysis.charts[0]");
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("host_clock[1]"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace osh::stats
