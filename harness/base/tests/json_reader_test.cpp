// parse_json and JsonReader: every way a user's JSON can be wrong ends in an InputError that
// names the file, and the place when there is one.
#include "harness/base/json_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/base/errors.h"

namespace osh {
namespace {

std::string parse_error(std::string_view text) {
  try {
    parse_json(text, "x.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// The place of the byte that failed: here the line feed after "tru", column 11 of line 2.
TEST(ParseJson, SyntaxErrorsGiveLineAndColumn) {
  EXPECT_EQ(parse_error("{\n  \"a\": tru\n}"),
            "x.json:2:11: invalid JSON: syntax error while parsing value - invalid literal; last "
            "read: '\"a\": tru<U+000A>'");
}

// Found by fuzz/journal_fuzz: a number beyond a double was an nlohmann out_of_range that
// escaped every reader.
TEST(ParseJson, NumbersTooLargeForADoubleAreInputErrors) {
  EXPECT_EQ(parse_error("{\"seed\": 1E400}"),
            "x.json: invalid JSON: number overflow parsing '1E400'");
}

// Issue 18: a file nested ~50,000 deep killed osharness with SIGSEGV. The depth is refused
// before parsing, at the place of the first bracket too many.
TEST(ParseJson, NestingDeeperThanTheLimitIsAnInputErrorWithItsPlace) {
  const std::string deep = "{\"a\":\n" + std::string(50000, '[') + std::string(50000, ']') + "}";
  EXPECT_EQ(parse_error(deep),
            "x.json:2:256: invalid JSON: arrays and objects nested deeper than " +
                std::to_string(kMaxJsonDepth) +
                " levels; osharness reads no deeper (is this the file you "
                "meant?)");
  const std::string at_limit = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_EQ(parse_error(at_limit), "no error");
  // Brackets inside strings (escaped quotes too) are text, not nesting.
  const std::string in_strings = "[\"\\\"" + std::string(1000, '[') + "\"]";
  EXPECT_EQ(parse_error(in_strings), "no error");
  EXPECT_EQ(parse_error("[" + std::string(kMaxJsonDepth, '{')),
            "x.json:1:" + std::to_string(kMaxJsonDepth + 1) +
                ": invalid JSON: arrays and objects nested deeper than " +
                std::to_string(kMaxJsonDepth) +
                " levels; osharness reads no deeper (is this the file you meant?)");
}

// A value built in code has no depth limit: describe_json writes only its first bytes.
TEST(DescribeJson, QuotesAShortExcerptOfADeepValue) {
  nlohmann::json root = nlohmann::json::array();
  nlohmann::json* leaf = &root;
  for (int i = 0; i < 200000; ++i) leaf = &leaf->emplace_back(nlohmann::json::array());
  EXPECT_EQ(describe_json(root), "array " + std::string(57, '[') + "...");
  EXPECT_EQ(describe_json(nlohmann::json::parse(R"({"a":[1,"x"],"b":null})")),
            R"(object {"a":[1,"x"],"b":null})");
}

TEST(LoadJsonFile, AFolderIsNamedAsOne) {
  try {
    load_json_file("/");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "/ is a folder: give the JSON file itself");
  }
}

TEST(JsonReader, ObjectsGivesEachElementItsPath) {
  const auto json = parse_json(R"({"runs": [{"n": 1}, {"n": "two"}]})", "x.json");
  JsonReader reader(json, "x.json");
  auto runs = reader.objects("runs");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].integer("n", 0, 10), 1);
  try {
    runs[1].integer("n", 0, 10);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "x.json: runs[1].n: expected an integer, got string \"two\"");
  }
  EXPECT_TRUE(reader.objects("absent").empty());
}

}  // namespace
}  // namespace osh
