#include "coverage/coverage_hook.h"

#include <limits>
#include <string>
#include <vector>

#include "harness/base/atomic_write.h"
#include "harness/base/errors.h"
#include "harness/campaign/spec.h"

namespace osh::coverage {
namespace {

constexpr const char* kTracefile = "coverage.info";

class CoverageHook final : public campaign::RunHook {
 public:
  CoverageHook(const CoverageConfig& config, const campaign::HookSetup& setup)
      : config_(config), setup_(setup) {
    if (!config.enabled) return;
    try {
      lines_.emplace(setup.config->kernel);
    } catch (const InputError& e) {
      problems_.push_back(std::string(e.what()) +
                          " (name bin/rayos-cov.elf as guest.kernel, or remove the coverage "
                          "section)");
    }
  }

  void configure(vm::VmConfig& config) override {
    if (!config_.enabled) return;
    if (setup_.spec && setup_.spec->scenario == "fuzz")
      throw InfraError(
          "the coverage section counts from the scenario's start, but the fuzz scenario "
          "switches counting on and off around each input: remove the coverage section and "
          "keep fuzz.coverage");
    config.append += (config.append.empty() ? "" : " ") + std::string("osh.coverage=1");
  }

  void on_marker(const marker::MarkerEvent& event) override {
    if (!lines_ || event.category != "COVERAGE" || event.event != "BLOCK") return;
    if (event.fields.size() < 2 || !lines_->add(event.fields[0].u, event.fields[1].u))
      ++unknown_sites_;
    ++blocks_;
  }

  void tick(int64_t, campaign::RunControl&) override {}
  int64_t next_tick_ns() const override { return std::numeric_limits<int64_t>::max(); }

  void finish(campaign::RunResult& r) override {
    if (!config_.enabled) return;
    if (lines_ && blocks_ == 0)
      problems_.push_back("the guest printed no COVERAGE:BLOCK marker (does " +
                          setup_.config->kernel.string() + " know osh.coverage=1?)");
    if (unknown_sites_ > 0)
      problems_.push_back(std::to_string(unknown_sites_) +
                          " COVERAGE:BLOCK markers name no call site of " +
                          setup_.config->kernel.string() + " (is it the kernel that ran?)");
    for (const auto& p : problems_)
      r.findings.push_back({campaign::Verdict::Fail, "coverage: " + p, "FAIL coverage"});
    if (!lines_) return;
    const auto path = setup_.run_folder / kTracefile;
    atomic_write(path, lines_->lcov(setup_.spec ? setup_.spec->name : "coverage"));
    r.analysis["coverage"] = lines_->summary(path);
    r.analysis["coverage"]["blocks_reached"] = blocks_;
    r.metrics["coverage.lines_hit"] = r.analysis["coverage"]["lines_hit"].get<double>();
    r.metrics["coverage.blocks"] = static_cast<double>(blocks_);
    // The campaign's folder holds runs/<run>/.
    const auto campaign_folder = setup_.run_folder.parent_path().parent_path();
    if (!config_.campaign->add(*lines_, campaign_folder))
      r.findings.push_back({campaign::Verdict::Fail,
                            "coverage: the runs booted different kernels; " +
                                (campaign_folder / kTracefile).string() + " sums the first one's",
                            "FAIL coverage"});
  }

 private:
  const CoverageConfig& config_;
  campaign::HookSetup setup_;
  std::optional<LineCoverage> lines_;
  uint64_t blocks_ = 0, unknown_sites_ = 0;
  std::vector<std::string> problems_;
};

const std::vector<campaign::MetricInfo>& coverage_metrics() {
  using B = campaign::MetricInfo::Better;
  static const std::vector<campaign::MetricInfo> metrics = {
      {"coverage.lines_hit", "", B::Higher,
       "source lines of the instrumented kernel that ran from the scenario's start"},
      {"coverage.blocks", "", B::Higher, "instrumented blocks that ran (COVERAGE:BLOCK markers)"},
  };
  return metrics;
}

}  // namespace

bool CampaignCoverage::add(const LineCoverage& run, const std::filesystem::path& folder) {
  const std::lock_guard lock(mutex_);
  if (!sum_) {
    sum_.emplace(run);
  } else if (!sum_->add_counts(run)) {
    return false;
  }
  atomic_write(folder / kTracefile, sum_->lcov("campaign"));
  return true;
}

std::shared_ptr<const CoverageConfig> parse_coverage_config(const nlohmann::json& section,
                                                            const std::string& origin) {
  if (!section.is_boolean())
    throw InputError(origin + ": coverage: is " + section.dump() +
                     ", but must be true (count the kernel's blocks from the scenario's start "
                     "and write coverage.info) or false");
  auto config = std::make_shared<CoverageConfig>();
  config->enabled = section.get<bool>();
  return config;
}

campaign::RunHookInfo coverage_hook_info() {
  return {
      "coverage",
      "line coverage of any scenario: boots with osh.coverage=1 and writes coverage.info "
      "(lcov) per run and per campaign (docs/fuzz-campaigns.md)",
      coverage_metrics(),
      [](const nlohmann::json& section, const std::string& origin, double) {
        return std::shared_ptr<const campaign::HookConfig>(parse_coverage_config(section, origin));
      },
      [](const campaign::HookConfig& config, const campaign::HookSetup& setup) {
        return std::make_unique<CoverageHook>(static_cast<const CoverageConfig&>(config), setup);
      }};
}

}  // namespace osh::coverage
