// os/rayos.schema.json is what the harness reads; marker_catalog.h is what the kernel prints.
// This test keeps the two identical (names, field names, types) in both directions.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "os/core/marker_catalog.h"

namespace rayos {
namespace {

std::string str(StringView v) { return std::string(v.data(), v.size()); }

std::string type_name(FieldKind kind) {
  switch (kind) {
    case FieldKind::kU32:
      return "u32";
    case FieldKind::kU64:
      return "u64";
    case FieldKind::kWord:
      return "word";
    case FieldKind::kId:
      return "id";
  }
  return "?";
}

nlohmann::json load_schema() {
  std::ifstream in(RAYOS_SCHEMA_PATH);
  EXPECT_TRUE(in) << "cannot open " << RAYOS_SCHEMA_PATH;
  return nlohmann::json::parse(in);
}

TEST(RayosSchema, MatchesTheKernelCatalog) {
  nlohmann::json schema = load_schema();
  EXPECT_EQ(schema.at("prefix"), "RAYOS");
  EXPECT_EQ(schema.at("allow_unknown"), false);
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& m : schema.at("markers")) {
    std::string name = m.at("marker");
    EXPECT_TRUE(by_name.emplace(name, m).second) << "duplicate " << name;
    EXPECT_FALSE(m.value("description", "").empty()) << name << " has no description";
  }
  for (const MarkerDef* def : markers::kAll) {
    std::string name = str(def->category) + ":" + str(def->event);
    auto it = by_name.find(name);
    ASSERT_NE(it, by_name.end()) << name << " is printed but missing from the schema";
    const auto& fields = it->second.at("fields");
    ASSERT_EQ(fields.size(), def->field_count) << name;
    for (size_t i = 0; i < def->field_count; ++i) {
      EXPECT_EQ(fields[i].at("name"), str(def->fields[i].name)) << name << " field " << i;
      EXPECT_EQ(fields[i].at("type"), type_name(def->fields[i].kind)) << name << " field " << i;
    }
    by_name.erase(it);
  }
  for (const auto& [name, m] : by_name) ADD_FAILURE() << name << " is in the schema, not printed";
}

}  // namespace
}  // namespace rayos
