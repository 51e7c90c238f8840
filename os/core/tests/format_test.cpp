#include "os/core/format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace rayos {
namespace {

std::string u64(uint64_t v) {
  char buf[kMaxIntChars];
  return std::string(buf, format_u64(v, buf));
}
std::string i64(int64_t v) {
  char buf[kMaxIntChars];
  return std::string(buf, format_i64(v, buf));
}
std::string hex(uint64_t v) {
  char buf[kMaxIntChars];
  return std::string(buf, format_hex(v, buf));
}

TEST(RayosFormat, UnsignedEdgeCases) {
  EXPECT_EQ(u64(0), "0");
  EXPECT_EQ(u64(9), "9");
  EXPECT_EQ(u64(10), "10");
  EXPECT_EQ(u64(1000000), "1000000");
  EXPECT_EQ(u64(std::numeric_limits<uint64_t>::max()), "18446744073709551615");
}

TEST(RayosFormat, SignedEdgeCases) {
  EXPECT_EQ(i64(0), "0");
  EXPECT_EQ(i64(-1), "-1");
  EXPECT_EQ(i64(std::numeric_limits<int64_t>::max()), "9223372036854775807");
  EXPECT_EQ(i64(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
}

TEST(RayosFormat, MatchesStdToStringOverManyValues) {
  for (uint64_t v = 1; v != 0 && v < (uint64_t{1} << 63); v = v * 3 + 7) {
    EXPECT_EQ(u64(v), std::to_string(v));
    EXPECT_EQ(i64(-static_cast<int64_t>(v)), std::to_string(-static_cast<int64_t>(v)));
  }
}

TEST(RayosFormat, Hex) {
  EXPECT_EQ(hex(0), "0x0");
  EXPECT_EQ(hex(0xf), "0xf");
  EXPECT_EQ(hex(0x10), "0x10");
  EXPECT_EQ(hex(0xffffffff80101234ull), "0xffffffff80101234");
  EXPECT_EQ(hex(std::numeric_limits<uint64_t>::max()), "0xffffffffffffffff");
  char fixed[8];
  format_hex_fixed(0xE3069283u, 8, fixed);
  EXPECT_EQ(std::string(fixed, 8), "e3069283");
  format_hex_fixed(0x2a, 8, fixed);
  EXPECT_EQ(std::string(fixed, 8), "0000002a");
}

TEST(RayosFormat, ParseU64AcceptsOnlyPlainDecimal) {
  uint64_t v = 0;
  ASSERT_TRUE(parse_u64("0", v));
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(parse_u64("42", v));
  EXPECT_EQ(v, 42u);
  ASSERT_TRUE(parse_u64("18446744073709551615", v));
  EXPECT_EQ(v, std::numeric_limits<uint64_t>::max());
  v = 7;
  EXPECT_FALSE(parse_u64("18446744073709551616", v));
  EXPECT_FALSE(parse_u64("99999999999999999999", v));
  EXPECT_FALSE(parse_u64("", v));
  EXPECT_FALSE(parse_u64("-1", v));
  EXPECT_FALSE(parse_u64("+1", v));
  EXPECT_FALSE(parse_u64("12a", v));
  EXPECT_FALSE(parse_u64(" 1", v));
  EXPECT_FALSE(parse_u64("0x10", v));
  EXPECT_EQ(v, 7u) << "a failed parse must leave the output alone";
}

}  // namespace
}  // namespace rayos
