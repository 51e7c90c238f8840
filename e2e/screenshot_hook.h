#pragma once
// The `screenshots` section of a spec and the run hook that owns it (docs/e2e.md). The guest
// (with osh.screenshots=1 on its command line, which this hook adds) shows a frame and prints
// INTEGRATION:SCREENSHOT:<name>; the hook takes it with the VM's screendump (QMP, PNG) into
// runs/<run>/screens/<name>.png and answers the guest with a newline on the console, so that
// the guest draws on only once the picture is taken. At the end each screenshot is compared
// with its golden (<golden>/<name>.png) within a per-pixel tolerance outside masked regions;
// a difference, a missing golden or an expected screenshot never taken FAILs the run. The
// golden and a diff image are kept beside the screenshot for report.html.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "e2e/image_compare.h"
#include "harness/campaign/run_hook.h"

namespace osh::e2e {

struct ScreenshotConfig final : campaign::HookConfig {
  std::filesystem::path golden_dir;
  std::vector<std::string> expect;  // screenshots every run must take
  int tolerance = 0;                // per channel, 0 to 255
  struct NamedMask {
    std::string shot;  // empty: every screenshot
    Mask mask;
  };
  std::vector<NamedMask> masks;
  nlohmann::json to_json() const override;
  std::vector<Mask> masks_for(const std::string& shot) const;
};

// Throws osh::InputError naming `origin` and the field.
std::shared_ptr<const ScreenshotConfig> parse_screenshot_config(const nlohmann::json& section,
                                                                const std::string& origin);

class ScreenshotHook final : public campaign::RunHook {
 public:
  ScreenshotHook(const ScreenshotConfig& config, std::filesystem::path run_folder);
  void configure(vm::VmConfig& config) override;
  void before_start(vm::Vm& vm) override;
  void on_marker(const marker::MarkerEvent& event) override;
  void tick(int64_t now_ns, campaign::RunControl& control) override;
  int64_t next_tick_ns() const override { return pending_.empty() ? INT64_MAX : 0; }
  void finish(campaign::RunResult& result) override;

 private:
  const ScreenshotConfig& config_;
  std::filesystem::path run_folder_;
  std::vector<std::string> pending_;
  std::vector<std::string> taken_;
  std::vector<std::string> problems_;  // screendumps that failed
};

campaign::RunHookInfo screenshot_hook_info();

}  // namespace osh::e2e
