// Loading marker schemas: the accepted format and an error naming file, path and fix for each
// kind of mistake.
#include "harness/marker/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/base/errors.h"
#include "harness/marker/tests/test_support.h"

namespace osh::marker {
namespace {

using ::testing::HasSubstr;

std::string load_error(const std::string& json) {
  try {
    Schema::parse(json, "os/rayos.schema.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// A schema with one marker whose field (or rest) is `field_json`.
std::string with_field(const std::string& field_json) {
  return R"({"prefix": "RAYOS", "markers": [{"marker": "A:B", "fields": [)" + field_json + "]}]}";
}

TEST(Schema, LoadsTheTestSchema) {
  const Schema& schema = testing::test_schema();
  EXPECT_EQ(schema.prefix(), "RAYOS");
  EXPECT_FALSE(schema.allows_unknown());
  EXPECT_EQ(schema.markers().size(), 10u);
  const MarkerSpec* spec = schema.find("SOAK", "METRICS_SNAPSHOT");
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec, schema.find("SOAK:METRICS_SNAPSHOT"));
  ASSERT_EQ(spec->fields.size(), 4u);
  EXPECT_EQ(spec->fields[0].type, FieldType::F64);
  EXPECT_EQ(spec->fields[0].unit, "%");
  EXPECT_EQ(schema.find("SOAK", "COMPLETE")->fields[0].enum_values,
            (std::vector<std::string>{"pass", "fail"}));
  ASSERT_TRUE(schema.find("PERF", "HIST")->rest.has_value());
  EXPECT_EQ(schema.find("PERF", "HIST")->rest->type, FieldType::U64);
  EXPECT_EQ(schema.find("SOAK", "NOPE"), nullptr);
  EXPECT_EQ(schema.find("SOAK:"), nullptr);
  EXPECT_THAT(schema.origin(), HasSubstr("test.schema.json"));
}

// The schema rayos ships must load; every marker in it is reachable by name.
TEST(Schema, LoadsTheRayosSchema) {
  const Schema schema = Schema::load(OSH_RAYOS_SCHEMA);
  EXPECT_EQ(schema.prefix(), "RAYOS");
  ASSERT_NE(schema.find("BOOT", "START"), nullptr);
  for (const MarkerSpec& spec : schema.markers()) {
    EXPECT_EQ(schema.find(spec.category + ":" + spec.event), &spec);
  }
}

// Names of every length from 3 to 40 bytes, each also looked up with one byte changed at every
// place: the lookup compares names in overlapping words, and a changed byte must still tell.
TEST(Schema, NoNameOneByteAwayIsFound) {
  nlohmann::json markers = nlohmann::json::array();
  std::vector<std::string> names;
  for (size_t n = 3; n <= 40; ++n) {
    names.push_back("A:" + std::string(n - 2, 'B'));
    markers.push_back({{"marker", names.back()}});
  }
  const Schema schema =
      Schema::parse(nlohmann::json{{"prefix", "T"}, {"markers", markers}}.dump(), "inline");
  for (const std::string& name : names) {
    ASSERT_NE(schema.find(name), nullptr) << name;
    EXPECT_EQ(schema.find(name)->event, name.substr(2));
    for (size_t i = 0; i < name.size(); ++i) {
      std::string changed = name;
      changed[i] = 'C';
      EXPECT_EQ(schema.find(changed), nullptr) << changed;
    }
  }
}

TEST(Schema, TypeNames) {
  EXPECT_EQ(to_string(FieldType::U32), "u32");
  EXPECT_EQ(to_string(FieldType::Enum), "enum");
  EXPECT_EQ(to_string(FieldType::Id), "id");
}

TEST(Schema, Permissive) {
  const Schema schema = Schema::permissive("MYOS2");
  EXPECT_EQ(schema.prefix(), "MYOS2");
  EXPECT_TRUE(schema.allows_unknown());
  EXPECT_TRUE(schema.markers().empty());
  EXPECT_THROW(Schema::permissive("myos"), InputError);
  EXPECT_THROW(Schema::permissive(""), InputError);
}

TEST(Schema, MissingFile) {
  try {
    Schema::load("/nonexistent/rayos.schema.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/rayos.schema.json: cannot read the marker "
                                    "schema: No such file or directory"));
  }
}

TEST(Schema, JsonSyntaxErrorNamesLineAndColumn) {
  const std::string error = load_error("{\n  \"prefix\": \"RAYOS\",\n  \"markers\": [,]\n}");
  EXPECT_THAT(error, HasSubstr("os/rayos.schema.json: JSON syntax error"));
  EXPECT_THAT(error, HasSubstr("at line 3, column 15"));
  EXPECT_THAT(load_error(""), HasSubstr("at line 1, column 1"));
  // Found by schema_fuzz: nlohmann reports a number out of double range as out_of_range.
  EXPECT_THAT(load_error(R"({"prefix": 2e2222222})"),
              HasSubstr("os/rayos.schema.json: JSON number overflow"));
}

// Issue 18: depth is bounded for the schema as for every JSON file osharness reads.
TEST(Schema, DeepNestingIsRefusedWithItsPlace) {
  EXPECT_THAT(load_error(R"({"prefix": "RAYOS", "markers": )" + std::string(50000, '[')),
              HasSubstr("os/rayos.schema.json: JSON arrays and objects nested deeper than 256 "
                        "levels; osharness reads no deeper (is this the file you meant?) at line "
                        "1, column 287"));
}

TEST(Schema, TheDocumentedExampleError) {
  const std::string json = R"({"prefix": "RAYOS", "markers": [
      {"marker": "A:B"}, {"marker": "A:C"}, {"marker": "A:D"},
      {"marker": "A:E", "fields": [{"name": "x", "type": "u32"}, {"name": "y", "type": "u16"}]}]})";
  EXPECT_EQ(load_error(json),
            "os/rayos.schema.json: markers[3].fields[1].type: unknown type \"u16\" (expected one "
            "of u32 u64 i64 f64 word enum id)");
}

TEST(Schema, EachBadFieldIsNamed) {
  const struct {
    std::string json;
    const char* error;
  } cases[] = {
      {"[]", "the schema must be a JSON object"},
      {R"({"markers": []})", "prefix: missing (a string is required)"},
      {R"({"prefix": 5, "markers": []})", "prefix: must be a string"},
      {R"({"prefix": "rayos", "markers": []})", "prefix: bad prefix \"rayos\""},
      {R"({"prefix": "RAYOS"})", "markers: missing (an array is required)"},
      {R"({"prefix": "RAYOS", "markers": {}})", "markers: must be an array"},
      {R"({"prefix": "RAYOS", "allow_unknown": "yes", "markers": []})",
       "allow_unknown: must be a boolean"},
      {R"({"prefix": "RAYOS", "allow_unkown": true, "markers": []})",
       "allow_unkown: unknown key (expected one of"},
      {R"({"prefix": "RAYOS", "markers": [5]})", "markers[0]: must be an object"},
      {R"({"prefix": "RAYOS", "markers": [{"fields": []}]})", "markers[0].marker: missing"},
      {R"({"prefix": "RAYOS", "markers": [{"marker": "boot:start"}]})",
       "markers[0].marker: bad marker name \"boot:start\""},
      {R"({"prefix": "RAYOS", "markers": [{"marker": "BOOT"}]})",
       "markers[0].marker: bad marker name \"BOOT\""},
      {R"({"prefix": "RAYOS", "markers": [{"marker": "A:B:C"}]})", "bad marker name \"A:B:C\""},
      {R"({"prefix": "RAYOS", "markers": [{"marker": "A:B", "feilds": []}]})",
       "markers[0].feilds: unknown key"},
      {R"({"prefix": "RAYOS", "markers": [{"marker": "A:B"}, {"marker": "A:B"}]})",
       "markers[1].marker: duplicate marker \"A:B\" (first at markers[0])"},
      {with_field("7"), "markers[0].fields[0]: must be an object"},
      {with_field(R"({"type": "u32"})"), "markers[0].fields[0].name: missing"},
      {with_field(R"({"name": "a b", "type": "u32"})"), "fields[0].name: bad field name \"a b\""},
      {with_field(R"({"name": "x"})"), "markers[0].fields[0].type: missing"},
      {with_field(R"({"name": "x", "type": "u32"}, {"name": "x", "type": "u64"})"),
       "markers[0].fields[1].name: duplicate field name \"x\""},
      {with_field(R"({"name": "x", "type": "enum"})"), "fields[0].values: missing"},
      {with_field(R"({"name": "x", "type": "enum", "values": []})"),
       "fields[0].values: an enum needs at least one value"},
      {with_field(R"({"name": "x", "type": "enum", "values": ["a", 1]})"),
       "fields[0].values[1]: must be a string"},
      {with_field(R"({"name": "x", "type": "enum", "values": ["a b"]})"),
       "fields[0].values[0]: bad enum value \"a b\""},
      {with_field(R"({"name": "x", "type": "enum", "values": ["a", "a"]})"),
       "fields[0].values[1]: duplicate enum value \"a\""},
      {with_field(R"({"name": "x", "type": "u32", "values": ["a"]})"),
       "fields[0].values: only fields of type enum take \"values\""},
      {with_field(R"({"name": "x", "type": "u32", "unit": 5})"),
       "fields[0].unit: must be a string"},
      {with_field(R"({"name": "x", "type": "u32", "unit": "this unit is far too long"})"),
       "fields[0].unit: unit \"this unit is far too long\" is longer than 16 bytes"},
      {with_field(R"({"name": "x", "type": "u32", "size": 4})"), "fields[0].size: unknown key"},
      {R"({"prefix": "RAYOS", "markers": [{"marker": "A:B", "rest": {"name": "c"}}]})",
       "markers[0].rest.type: missing"},
  };
  for (const auto& c : cases) {
    const std::string error = load_error(c.json);
    EXPECT_THAT(error, HasSubstr(c.error)) << c.json;
    EXPECT_THAT(error, HasSubstr("os/rayos.schema.json: ")) << c.json;
  }
}

TEST(Schema, LoadFromFile) {
  const auto path = std::filesystem::temp_directory_path() / "osh_marker_schema_test.json";
  std::ofstream(path) << R"({"prefix": "X1", "markers": [{"marker": "A:B"}]})";
  const Schema schema = Schema::load(path);
  EXPECT_EQ(schema.prefix(), "X1");
  EXPECT_EQ(schema.origin(), path.string());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace osh::marker
