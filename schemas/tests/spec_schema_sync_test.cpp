// schemas/spec.schema.json names what osharness is built with: every run hook's section, every
// analyzer, VM backend, fuzz target and crash table. A plug-in added without the schema fails
// here rather than in a user's editor.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "guestfuzz/fuzz_hook.h"
#include "harness/base/json_reader.h"
#include "harness/oslog/crash_table.h"
#include "plugins/builtin.h"

namespace osh {
namespace {

using Names = std::set<std::string>;

const nlohmann::json& schema() {
  static const nlohmann::json s = load_json_file(OSH_SPEC_SCHEMA);
  return s;
}

Names enum_of(const nlohmann::json& node) {
  Names out;
  for (const auto& v : node.at("enum")) out.insert(v.get<std::string>());
  return out;
}

// "linux, none" -> {"linux", "none"}
Names split(const std::string& list) {
  Names out;
  for (size_t at = 0; at <= list.size();) {
    const size_t comma = std::min(list.find(", ", at), list.size());
    if (comma > at) out.insert(list.substr(at, comma - at));
    at = comma + 2;
  }
  return out;
}

const auto kPlugins = plugins::builtin_plugins();

TEST(SpecSchema, HasASectionForEveryRunHook) {
  const auto& properties = schema().at("properties");
  for (const auto& hook : kPlugins.run_hooks)
    EXPECT_TRUE(properties.contains(hook.name)) << "no \"" << hook.name << "\" section";
}

TEST(SpecSchema, NamesEveryAnalyzerBackendFuzzTargetAndCrashTable) {
  Names analyzers, backends,
      targets(std::begin(guestfuzz::kTargets), std::end(guestfuzz::kTargets));
  for (const auto& a : kPlugins.analyzers) analyzers.insert(a.name);
  for (const auto& b : kPlugins.backends) backends.insert(b.name);
  const auto& defs = schema().at("$defs");
  EXPECT_EQ(enum_of(schema().at("properties").at("analyzers").at("items")), analyzers);
  EXPECT_EQ(enum_of(defs.at("guest").at("properties").at("backend")), backends);
  EXPECT_EQ(enum_of(defs.at("fuzz").at("properties").at("target")), targets);
  auto tables = split(oslog::CrashTable::builtin_names());
  tables.insert("none");
  EXPECT_EQ(enum_of(defs.at("guest").at("properties").at("crash_reports")), tables);
}

}  // namespace
}  // namespace osh
