// Issue 18: "deadline_s": 1e308 and --timeout 1e10 overflowed int64 nanoseconds (a run ended at
// once with "deadline of -9223372036.9 s"); --seed -1 wrapped silently. Every number a user gives
// is checked against its range by number_text_problem / NumberRange, here.
#include "harness/base/number_range.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace osh {
namespace {

TEST(NumberRange, DurationsStayWhereInt64NanosecondsHoldThreeTimesThem) {
  EXPECT_LT(3 * kMaxDurationS * 1e9, static_cast<double>(INT64_MAX));
  const NumberRange seconds = positive_seconds();
  EXPECT_TRUE(seconds.contains(0.001));
  EXPECT_TRUE(seconds.contains(kMaxDurationS));
  EXPECT_FALSE(seconds.contains(0));
  EXPECT_FALSE(seconds.contains(1e10));
  EXPECT_FALSE(seconds.contains(1e308));
  EXPECT_FALSE(seconds.contains(INFINITY));
  EXPECT_FALSE(seconds.contains(NAN));
  EXPECT_TRUE(non_negative_seconds().contains(0));
}

TEST(NumberRange, TextOutsideTheRangeIsNamedWithTheRange) {
  EXPECT_EQ(number_text_problem("1e10", positive_seconds()),
            "must be a number of seconds above 0 and at most 10000000, got \"1e10\"");
  EXPECT_EQ(number_text_problem("2.5", positive_seconds()), std::nullopt);
  EXPECT_EQ(number_text_problem("10s", positive_seconds()),
            "must be a number of seconds above 0 and at most 10000000, got \"10s\"");
  const NumberRange seed = integer_range(0, UINT64_MAX);
  EXPECT_EQ(number_text_problem("-1", seed),
            "must be an integer between 0 and 18446744073709551615, got \"-1\"");
  EXPECT_EQ(number_text_problem("18446744073709551615", seed), std::nullopt);
  EXPECT_EQ(number_text_problem("18446744073709551616", seed),
            "must be an integer between 0 and 18446744073709551615, got \"18446744073709551616\"");
  EXPECT_EQ(number_text_problem("1e3", seed),
            "must be an integer between 0 and 18446744073709551615, got \"1e3\"");
  EXPECT_EQ(number_text_problem("", integer_range(0, 5)),
            "must be an integer between 0 and 5, got \"\"");
  EXPECT_EQ(number_text_problem("\x1b]0;x\x07", integer_range(0, 5)),
            "must be an integer between 0 and 5, got \"\\x1b]0;x\\x07\"");
}

}  // namespace
}  // namespace osh
