#include "wpt/js_text.h"

#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace osh::wpt {
namespace {

TEST(JsText, LoneSurrogatesAreReplacementCharactersForTheApiAndCodePointsForNames) {
  const auto v = parse_wpt_json(R"(["a\uD800b", "\uDFFFc", "\uD83D\uDE00", "\\uD800"])", "t");
  EXPECT_EQ(v.usv[0],
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(v.named[0], "aU+d800b");
  EXPECT_EQ(v.usv[1],
            "\xEF\xBF\xBD"
            "c");
  EXPECT_EQ(v.named[1], "U+dfffc");
  // A pair stays a pair; an escaped backslash is not an escape.
  EXPECT_EQ(v.usv[2], "\xF0\x9F\x98\x80");
  EXPECT_EQ(v.named[2], "\xF0\x9F\x98\x80");
  EXPECT_EQ(v.usv[3], "\\uD800");
}

TEST(JsText, KeyOrderIsKeptAsJavaScriptKeepsIt) {
  const auto v = parse_wpt_json(R"({"protocol": 1, "comment": 2, "alpha": 3})", "t");
  std::vector<std::string> keys;
  for (const auto& [k, value] : v.usv.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"protocol", "comment", "alpha"}));
}

TEST(JsText, BrokenJsonNamesTheFile) {
  try {
    parse_wpt_json("[1,", "data/x.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("data/x.json: not valid JSON"), std::string::npos);
  }
}

// testharness.js's own examples and replacement table.
TEST(JsText, FormatValueQuotesAndEscapesAsTestharnessDoes) {
  EXPECT_EQ(format_value("foo\xEF\xBF\xBF"
                         "bar"),
            "\"foo\\uffffbar\"");
  EXPECT_EQ(format_value("data:,X"), "\"data:,X\"");
  EXPECT_EQ(format_value(std::string("a\0b", 3)), "\"a\\0b\"");
  EXPECT_EQ(format_value("\t\n\r\x0b\x0c\x08\x01\x1f"), "\"\\t\\n\\r\\v\\f\\b\\x01\\x1f\"");
  EXPECT_EQ(format_value("a\\b\"c"), "\"a\\\\b\\\"c\"");
  EXPECT_EQ(format_value("\xEF\xBF\xBD\xEF\xBF\xBE"), "\"\\ufffd\\ufffe\"");
  EXPECT_EQ(format_value("\xC3\xA9"), "\"\xC3\xA9\"");
}

}  // namespace
}  // namespace osh::wpt
