#include "guestfuzz/fuzz_markers.h"

#include <gtest/gtest.h>

#include <vector>

namespace osh::guestfuzz {
namespace {

marker::FieldValue number(uint64_t v) {
  marker::FieldValue f;
  f.kind = marker::FieldValue::Kind::Unsigned;
  f.u = v;
  return f;
}

marker::FieldValue text(std::string_view t) {
  marker::FieldValue f;
  f.text = t;
  return f;
}

marker::MarkerEvent event(std::string_view name, const std::vector<marker::FieldValue>& fields) {
  marker::MarkerEvent e;
  e.category = "FUZZ";
  e.event = name;
  e.fields = fields;
  return e;
}

TEST(FuzzMarkers, NewAndCrashCarryTheDecodedInput) {
  // "osh.seed=" in base64, as rayos's encoder writes it (os/core/fuzz/base64.cpp).
  const std::vector<marker::FieldValue> fields = {number(36), number(217), text("b3NoLnNlZWQ9")};
  const auto fresh = decode_fuzz_marker(event("NEW", fields));
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->kind, FuzzMarker::Kind::New);
  EXPECT_EQ(fresh->edges, 217u);
  EXPECT_EQ(fresh->input, "osh.seed=");
  const auto crash = decode_fuzz_marker(event("CRASH", fields));
  ASSERT_TRUE(crash);
  EXPECT_EQ(crash->kind, FuzzMarker::Kind::Crash);
  EXPECT_EQ(crash->execs, 217u);
  EXPECT_EQ(crash->input, "osh.seed=");
}

TEST(FuzzMarkers, AnEmptyInputIsAnEmptyField) {
  const std::vector<marker::FieldValue> fields = {number(1), number(2), text("")};
  const auto m = decode_fuzz_marker(event("CRASH", fields));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->input, "");
}

TEST(FuzzMarkers, InputThatIsNotBase64IsRefused) {
  const std::vector<marker::FieldValue> fields = {number(1), number(2), text("b3N")};
  EXPECT_FALSE(decode_fuzz_marker(event("NEW", fields)));
}

TEST(FuzzMarkers, StatsValues) {
  const std::vector<marker::FieldValue> fields = {number(1001), number(21760), number(21762),
                                                  number(451), number(176)};
  const auto m = decode_fuzz_marker(event("STATS", fields));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, FuzzMarker::Kind::Stats);
  EXPECT_EQ(m->execs, 21760u);
  EXPECT_EQ(m->execs_per_s, 21762u);
  EXPECT_EQ(m->edges, 451u);
}

TEST(FuzzMarkers, CoverageOffsetAndCount) {
  const auto m = decode_fuzz_marker(event("COVERAGE", {number(5760), number(18951)}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, FuzzMarker::Kind::Coverage);
  EXPECT_EQ(m->offset, 5760u);
  EXPECT_EQ(m->count, 18951u);
}

}  // namespace
}  // namespace osh::guestfuzz
