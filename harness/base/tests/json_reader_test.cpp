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
