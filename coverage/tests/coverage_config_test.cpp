#include <gtest/gtest.h>

#include "coverage/coverage_hook.h"
#include "harness/base/errors.h"

namespace osh::coverage {
namespace {

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
