// The coverage section end to end: the real osharness runs rayos's selftest on bin/rayos-cov.elf
// with `"coverage": true`, twice; each run's coverage.info counts the selftest's own code and
// nothing of the URL parser it never calls, and the campaign's coverage.info is their sum. A
// scenario that panics still reports what it ran, and the fuzz scenario is refused.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <string>

#include "coverage/tests/lcov_lines.h"
#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using coverage::testing::lcov_lines;
using nlohmann::json;

size_t lines_hit(const std::map<int, uint64_t>& lines) {
  size_t hit = 0;
  for (const auto& [line, count] : lines) hit += count > 0;
  return hit;
}

// os/tests/selftest.json on bin/rayos-cov.elf with the coverage section, changed by `change`.
Finished run_with_coverage(const TempDir& dir, const std::function<void(json&)>& change) {
  json spec = read_json(RAYOS_SELFTEST_SPEC);
  spec["guest"]["kernel"] = "${bindir}/rayos-cov.elf";
  spec["guest"]["accel"] = "tcg";
  spec["coverage"] = true;
  change(spec);
  const auto path = dir.path() / "spec.json";
  std::ofstream(path) << spec.dump(2);
  return run_osharness({"run", path.string(), "--out", (dir.path() / "out").string()}, dir.path());
}

TEST(CoverageHook, CountsTheSelftestsOwnCodeAndSumsTheRuns) {
  TempDir dir;
  const auto finished = run_with_coverage(dir, [](json& spec) { spec["repeat"] = 2; });
  ASSERT_EQ(finished.status.code, 0) << finished.out << finished.err;
  const auto out = dir.path() / "out";

  const json report = read_json(out / "report.json");
  ASSERT_EQ(report["runs"].size(), 2u);
  std::map<int, uint64_t> summed;  // the selftest's process tests, over both runs
  for (const auto& run : report["runs"]) {
    EXPECT_EQ(run["verdict"], "PASS") << run["reason"];
    EXPECT_EQ(run["metrics"]["markers.lost"], 0);
    const json coverage = run["analysis"]["coverage"];
    const std::string tracefile = read_file(coverage["tracefile"].get<std::string>());
    const auto selftest = lcov_lines(tracefile, "/os/workloads/selftest/process_tests.cpp");
    EXPECT_GT(lines_hit(selftest), 0u) << coverage.dump(1);
    for (const auto& [line, count] : selftest) summed[line] += count;
    // Instrumented (its lines are listed) but never run by the selftest.
    const auto url = lcov_lines(tracefile, "/os/core/web/url.cpp");
    EXPECT_FALSE(url.empty());
    EXPECT_EQ(lines_hit(url), 0u);
    EXPECT_GT(coverage["lines_hit"].get<int>(), 0);
    EXPECT_LT(coverage["lines_hit"].get<int>(), coverage["lines_found"].get<int>());
    EXPECT_EQ(run["metrics"]["coverage.lines_hit"], coverage["lines_hit"]);
  }
  const auto campaign =
      lcov_lines(read_file(out / "coverage.info"), "/os/workloads/selftest/process_tests.cpp");
  EXPECT_EQ(campaign, summed);
}

TEST(CoverageHook, APanickingScenarioReportsWhatItRan) {
  TempDir dir;
  const auto finished = run_with_coverage(dir, [](json& spec) {
    spec["scenario"] = "fault";
    spec.erase("criteria");
  });
  EXPECT_NE(finished.status.code, 0);
  const json run = read_json(dir.path() / "out" / "report.json")["runs"][0];
  EXPECT_EQ(run["verdict"], "CRASH") << run["reason"];
  const auto fault =
      lcov_lines(read_file(run["analysis"]["coverage"]["tracefile"].get<std::string>()),
                 "/os/workloads/fault.cpp");
  EXPECT_GT(lines_hit(fault), 0u);
}

TEST(CoverageHook, RefusesTheFuzzScenario) {
  TempDir dir;
  const auto finished = run_with_coverage(dir, [](json& spec) { spec["scenario"] = "fuzz"; });
  EXPECT_NE(finished.status.code, 0);
  const json run = read_json(dir.path() / "out" / "report.json")["runs"][0];
  EXPECT_EQ(run["verdict"], "INFRA_ERROR");
  EXPECT_NE(run["reason"].get<std::string>().find("keep fuzz.coverage"), std::string::npos)
      << run["reason"];
}

}  // namespace
}  // namespace osh::cli::testing
