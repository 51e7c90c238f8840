// The generator of the kernel's marker list: the real schema gives the constants the kernel
// uses, and a schema rayos cannot print from is refused with the marker and field named.
#include "os/tools/marker_catalog_gen.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace rayos::tools {
namespace {

using osh::marker::Schema;
using ::testing::HasSubstr;

std::string generate(const std::string& markers_json) {
  return marker_catalog_header(
      Schema::parse(R"({"prefix": "RAYOS", "markers": [)" + markers_json + "]}", "test.json"));
}

std::string error_of(const std::string& markers_json) {
  try {
    generate(markers_json);
  } catch (const osh::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(MarkerCatalogGen, ConstantNamesAreCamelCaseOfCategoryAndEvent) {
  EXPECT_EQ(constant_name("SOAK", "METRICS_SNAPSHOT"), "kSoakMetricsSnapshot");
  EXPECT_EQ(constant_name("FLOOD", "N"), "kFloodN");
  EXPECT_EQ(constant_name("PROC", "SPAWN_ERROR"), "kProcSpawnError");
  EXPECT_EQ(constant_name("CLOCK2", "TSC_2X"), "kClock2Tsc2x");
}

TEST(MarkerCatalogGen, TheRayosSchemaGivesTheConstantsTheKernelPrintsWith) {
  const std::string header = marker_catalog_header(Schema::load(RAYOS_SCHEMA_PATH));
  EXPECT_THAT(header, HasSubstr("inline constexpr StringView kMarkerPrefix = \"RAYOS\";"));
  EXPECT_THAT(header, HasSubstr("inline constexpr MarkerDef kBootReady{\"BOOT\", \"READY\", 0};"));
  EXPECT_THAT(header, HasSubstr("// PROC:EXIT pid:u32 code:u64\n"
                                "inline constexpr MarkerDef kProcExit{\"PROC\", \"EXIT\", 2};"));
  EXPECT_THAT(header, HasSubstr("kSoakMetricsSnapshot{\"SOAK\", \"METRICS_SNAPSHOT\", 4};"));
  EXPECT_THAT(header, HasSubstr("Generated from " RAYOS_SCHEMA_PATH));
}

TEST(MarkerCatalogGen, KeepsSchemaOrderAndCountsFields) {
  const std::string header = generate(
      R"({"marker": "B:SECOND", "description": "d", "fields": [{"name": "x", "type": "u64"}]},
         {"marker": "A:FIRST", "description": "d", "fields": [
           {"name": "s", "type": "id"}, {"name": "t", "type": "word"},
           {"name": "k", "type": "enum", "values": ["on", "off"]}, {"name": "n", "type": "u32"}]})");
  const auto second = header.find("kBSecond{\"B\", \"SECOND\", 1};");
  const auto first = header.find("kAFirst{\"A\", \"FIRST\", 4};");
  ASSERT_NE(second, std::string::npos) << header;
  ASSERT_NE(first, std::string::npos) << header;
  EXPECT_LT(second, first);
}

TEST(MarkerCatalogGen, AFieldTypeRayosCannotPrintNamesMarkerAndField) {
  EXPECT_EQ(error_of(R"({"marker": "PERF:RATIO", "description": "d", "fields": [
                          {"name": "operation", "type": "id"}, {"name": "ratio", "type": "f64"}]})"),
            "test.json: markers[0].fields[1].type: PERF:RATIO field \"ratio\" is f64, which rayos "
            "cannot print (its marker writer prints u32 u64 word enum id)");
  EXPECT_THAT(error_of(R"({"marker": "A:B", "description": "d", "fields": []},
                          {"marker": "CLOCK:SKEW", "description": "d", "fields": [
                            {"name": "skew_us", "type": "i64"}]})"),
              HasSubstr("markers[1].fields[0].type: CLOCK:SKEW field \"skew_us\" is i64"));
}

TEST(MarkerCatalogGen, AMarkerWithoutDescriptionIsRefused) {
  EXPECT_EQ(error_of(R"({"marker": "DISK:ACK", "fields": [{"name": "block", "type": "u64"}]})"),
            "test.json: markers[0]: DISK:ACK has no \"description\": say when rayos prints it");
}

TEST(MarkerCatalogGen, AVariableLengthTailIsRefused) {
  EXPECT_THAT(error_of(R"({"marker": "HIST:ROW", "description": "d", "fields": [],
                           "rest": {"name": "count", "type": "u64"}})"),
              HasSubstr("test.json: markers[0].rest: HIST:ROW has a variable-length tail"));
}

TEST(MarkerCatalogGen, TwoMarkersWithOneConstantNameAreRefused) {
  EXPECT_EQ(error_of(R"({"marker": "A_B:C", "description": "d"},
                        {"marker": "A:B_C", "description": "d"})"),
            "test.json: markers[1].marker: A:B_C and A_B:C would both be markers::kABC; "
            "rename one");
}

}  // namespace
}  // namespace rayos::tools
