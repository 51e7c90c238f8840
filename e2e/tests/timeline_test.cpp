#include "e2e/timeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace osh::e2e {
namespace {

using ::testing::HasSubstr;

TimelineSpec spec_of(const std::string& json) {
  return parse_timeline(nlohmann::json::parse(json), "specs/x.json");
}

std::string error_of(const std::string& json) {
  try {
    spec_of(json);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TimelineParse, ReadsEveryRuleForm) {
  const TimelineSpec s = spec_of(R"({"milestones": ["a", "b"], "rules": [
      "copy before paste", "pasted within 12.5 ms of copy", "theme exactly once",
      "draw never after complete"]})");
  ASSERT_EQ(s.rules.size(), 4u);
  EXPECT_EQ(s.rules[0].kind, TimelineRule::Kind::Before);
  EXPECT_EQ(s.rules[0].a, "copy");
  EXPECT_EQ(s.rules[0].b, "paste");
  EXPECT_EQ(s.rules[1].kind, TimelineRule::Kind::Within);
  EXPECT_EQ(s.rules[1].a, "copy") << "the cause is the event after `of`";
  EXPECT_EQ(s.rules[1].b, "pasted");
  EXPECT_DOUBLE_EQ(s.rules[1].within_ms, 12.5);
  EXPECT_EQ(s.rules[2].kind, TimelineRule::Kind::ExactlyOnce);
  EXPECT_EQ(s.rules[3].kind, TimelineRule::Kind::NeverAfter);
  EXPECT_EQ(s.rules[3].b, "complete");
  EXPECT_EQ(s.milestones, (std::vector<std::string>{"a", "b"}));
}

TEST(TimelineParse, ErrorsNameTheFileTheFieldAndWhatToWrite) {
  EXPECT_THAT(error_of(R"({"rules": ["a after b"]})"),
              HasSubstr("specs/x.json: timeline.rules[0]: cannot read rule \"a after b\"; write"));
  EXPECT_THAT(error_of(R"({"rules": ["a before b", "b within ten ms of a"]})"),
              HasSubstr("timeline.rules[1]: \"ten\" is not a number of milliseconds"));
  EXPECT_THAT(error_of(R"({"rules": ["b within -1 ms of a"]})"), HasSubstr("rules[0]"));
  EXPECT_THAT(error_of(R"({"rules": ["a before a"]})"), HasSubstr("names `a` twice"));
  EXPECT_THAT(error_of(R"({"milestones": ["a", "b c"]})"),
              HasSubstr("timeline.milestones[1]: \"b c\" is not an event name"));
  EXPECT_THAT(error_of(R"({"milestones": ["a", "b", "a"]})"),
              HasSubstr("milestones[2]: `a` is listed twice (also milestones[0])"));
  EXPECT_THAT(error_of(R"({"milestone": ["a"]})"), HasSubstr("timeline.milestone"));
  EXPECT_THAT(error_of(R"({})"), HasSubstr("needs \"milestones\" or \"rules\""));
  EXPECT_THAT(error_of(R"([])"), HasSubstr("specs/x.json: timeline: expected an object"));
}

const std::vector<TimelineEvent> kEvents = {{"start", 0}, {"copy", 10},  {"paste", 14},
                                            {"copy", 20}, {"paste", 40}, {"complete", 50}};

TEST(TimelineCheck, AGoodTimelineBreaksNothing) {
  const TimelineSpec s = spec_of(R"({"milestones": ["start", "copy", "paste", "complete"],
      "rules": ["paste within 20 ms of copy", "start exactly once", "copy never after complete"]})");
  EXPECT_TRUE(check_timeline(s, kEvents).empty());
}

TEST(TimelineCheck, OutOfOrderMilestonesNameBothEventsTheirTimesAndTheRule) {
  const auto v = check_timeline(spec_of(R"({"milestones": ["paste", "copy"]})"), kEvents);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].a, "paste");
  EXPECT_EQ(v[0].b, "copy");
  EXPECT_EQ(v[0].a_ms, 14.0);
  EXPECT_EQ(v[0].b_ms, 10.0);
  EXPECT_EQ(v[0].message,
            "`paste` at 14.000 ms came after `copy` at 10.000 ms "
            "(rule \"paste before copy (milestones order)\")");
}

TEST(TimelineCheck, WithinChecksEveryCauseNotOnlyTheFirst) {
  const auto v = check_timeline(spec_of(R"({"rules": ["paste within 5 ms of copy"]})"), kEvents);
  ASSERT_EQ(v.size(), 1u) << "10 -> 14 is in time, 20 -> 40 is not";
  EXPECT_EQ(v[0].a_ms, 20.0);
  EXPECT_EQ(v[0].b_ms, 40.0);
  EXPECT_THAT(v[0].message, HasSubstr("`paste` at 40.000 ms came 20.000 ms after `copy` at "
                                      "20.000 ms, more than 5 ms"));
  const auto missing =
      check_timeline(spec_of(R"({"rules": ["drop within 5 ms of copy"]})"), kEvents);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_THAT(missing[0].message, HasSubstr("no `drop` followed `copy` at 10.000 ms"));
}

TEST(TimelineCheck, ExactlyOnceCountsAndNeverAfterLooksPastTheFirstB) {
  auto v = check_timeline(spec_of(R"({"rules": ["copy exactly once", "nothing exactly once"]})"),
                          kEvents);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_THAT(v[0].message,
              HasSubstr("`copy` happened 2 times: at 10.000 ms and again at 20.000 ms"));
  EXPECT_THAT(v[1].message, HasSubstr("`nothing` never happened"));
  v = check_timeline(
      spec_of(R"({"rules": ["copy never after paste", "copy never after nothing"]})"), kEvents);
  ASSERT_EQ(v.size(), 1u) << "B that never happens allows every A";
  EXPECT_THAT(v[0].message, HasSubstr("`copy` at 20.000 ms came after `paste` at 14.000 ms"));
}

TEST(TimelineCheck, BeforeNeedsBothEvents) {
  const auto v = check_timeline(spec_of(R"({"rules": ["copy before drop"]})"), kEvents);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v[0].message, HasSubstr("`drop` never happened, `copy` at 10.000 ms"));
}

}  // namespace
}  // namespace osh::e2e

namespace osh::e2e {
namespace {

TEST(TimelineCheck, EventsAtTheSameTimeAreInTheOrderTheGuestPrintedThem) {
  const std::vector<TimelineEvent> same = {{"start", 0}, {"ready", 0}, {"copy", 0}};
  EXPECT_TRUE(check_timeline(spec_of(R"({"milestones": ["start", "ready", "copy"],
      "rules": ["start never after ready", "copy within 0 ms of ready"]})"),
                             same)
                  .empty());
  const auto v = check_timeline(
      spec_of(R"({"rules": ["copy before ready", "copy never after ready"]})"), same);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_THAT(v[0].message, HasSubstr("`copy` at 0.000 ms came after `ready` at 0.000 ms"));
}

}  // namespace
}  // namespace osh::e2e
