#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "coverage/coverage_hook.h"
#include "coverage/line_coverage.h"
#include "harness/base/errors.h"

namespace osh::coverage {
namespace {

// Before main(): whether the process started with libdw loaded.
const bool libdw_at_start = ::dlopen("libdw.so.1", RTLD_NOLOAD | RTLD_LAZY) != nullptr;

// Linked, libdw slowed every osharness process's start (coverage/libdw_loader.cpp): it is loaded
// when DWARF is first read, and only then. This test binary has DWARF (-g1) but no fuzz coverage,
// so reading it gets as far as looking for the coverage callback.
TEST(LineCoverage, LibdwIsLoadedOnFirstUseOnly) {
  EXPECT_FALSE(libdw_at_start);
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  try {
    LineCoverage coverage(self);
    ADD_FAILURE() << "a binary without fuzz coverage was accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr(self.string() + ": no __sanitizer_cov_trace_pc"));
  }
  EXPECT_NE(::dlopen("libdw.so.1", RTLD_NOLOAD | RTLD_LAZY), nullptr);
}

TEST(CoverageConfig, IsTrueOrFalse) {
  EXPECT_TRUE(parse_coverage_config(true, "spec.json")->enabled);
  EXPECT_FALSE(parse_coverage_config(false, "spec.json")->enabled);
  EXPECT_EQ(parse_coverage_config(true, "spec.json")->to_json(), true);
}

TEST(CoverageConfig, AnythingElseNamesTheFileAndTheField) {
  for (const auto& bad : {nlohmann::json::object(), nlohmann::json(1), nlohmann::json("yes")}) {
    try {
      parse_coverage_config(bad, "specs/a.json");
      ADD_FAILURE() << bad.dump() << " was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("specs/a.json: coverage: is " + bad.dump(), 0), 0u)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace osh::coverage
