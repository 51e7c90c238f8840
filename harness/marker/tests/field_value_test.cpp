// Decimal numbers taken a word at a time (parse_decimal<true>) against the digit-by-digit way.
#include "harness/marker/field_value.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace osh::marker {
namespace {

// Every length from 1 to 24 digits, random digits, then each position replaced by every byte
// that is no digit; the text is followed by the bytes a marker puts there (a ':' or " #").
TEST(FieldValue, WordAtATimeDecimalsMatchDigitByDigit) {
  std::mt19937_64 rng(11);
  for (size_t len = 1; len <= 24; ++len) {
    for (int round = 0; round < 50; ++round) {
      std::string text(len, '0');
      for (char& c : text) c = char('0' + rng() % 10);
      if (round == 0) text.assign(len, '9');
      for (size_t at = 0; at <= len; ++at) {
        for (int byte = 0; byte < 256; byte += at == len ? 256 : 1) {
          std::string s = text;
          if (at < len) {
            if (byte >= '0' && byte <= '9') continue;
            s[at] = char(byte);
          }
          const std::string padded = s + ": #12*abcdef01";
          const std::string_view view(padded.data(), len);
          for (const uint64_t max : {uint64_t(UINT32_MAX), uint64_t(UINT64_MAX)}) {
            uint64_t a = 7, b = 7;
            const NumberError ea = parse_decimal<true>(view, max, a);
            const NumberError eb = parse_decimal<false>(view, max, b);
            ASSERT_EQ(ea, eb) << s;
            ASSERT_EQ(a, b) << s;
          }
        }
      }
    }
  }
}

TEST(FieldValue, DigitWordValues) {
  const std::string text = "12345678901234567890########";
  for (size_t len = 1; len <= 8; ++len) {
    uint64_t value = 0;
    ASSERT_TRUE(digit_word(text.data(), len, value));
    EXPECT_EQ(value, std::stoull(text.substr(0, len)));
  }
  uint64_t value = 0;
  EXPECT_FALSE(digit_word("123/5678", 8, value));
  EXPECT_FALSE(digit_word("123:5678", 8, value));
  EXPECT_TRUE(digit_word("123:5678", 3, value));
  EXPECT_EQ(value, 123u);
}

}  // namespace
}  // namespace osh::marker
