#pragma once
// The `coverage` section of a campaign spec (docs/fuzz-campaigns.md, "Coverage of any
// scenario"): `"coverage": true` boots the guest with osh.coverage=1, which counts every
// instrumented block the scenario runs and prints the counts (COVERAGE:BLOCK) before it exits or
// panics. The hook maps them to source lines with the kernel's DWARF and writes coverage.info
// (lcov) in each run's folder and, summed over the campaign's runs so far, in its output folder.
// How much it can see is how much the kernel instruments: all of it in bin/rayos-cov.elf, the
// fuzzed sources alone in bin/rayos.elf; the spec names the kernel.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

#include "coverage/line_coverage.h"
#include "harness/campaign/run_hook.h"

namespace osh::coverage {

// The campaign's coverage.info: every run's counts added as the run finishes (runs may finish
// at once, on several threads).
class CampaignCoverage {
 public:
  // Adds `run` and rewrites `folder`/coverage.info; false when `run` was read from another
  // kernel than the runs before it.
  bool add(const LineCoverage& run, const std::filesystem::path& folder);

 private:
  std::mutex mutex_;
  std::optional<LineCoverage> sum_;
};

struct CoverageConfig final : campaign::HookConfig {
  bool enabled = false;
  std::shared_ptr<CampaignCoverage> campaign = std::make_shared<CampaignCoverage>();

  nlohmann::json to_json() const override { return enabled; }
};

// Throws osh::InputError naming `origin` and the field.
std::shared_ptr<const CoverageConfig> parse_coverage_config(const nlohmann::json& section,
                                                            const std::string& origin);

campaign::RunHookInfo coverage_hook_info();

}  // namespace osh::coverage
