#pragma once
// The `reboots` section of a spec and the run hook that owns it (docs/e2e.md): power cycles the
// guest asks for. A scenario that must survive a reset (shutdown_recovery) puts what must
// survive on its disk and prints INTEGRATION:REBOOT; QEMU runs with guest resets turned into
// shutdowns (-no-reboot), so the guest cannot reset itself and the hook resets the VM (QMP
// system_reset): the next boot runs the scenario again on the same disk. A run whose guest asked
// for another number of power cycles than `expect` FAILs.
#include <memory>

#include "harness/campaign/run_hook.h"

namespace osh::e2e {

struct RebootConfig final : campaign::HookConfig {
  int expect = 1;
  nlohmann::json to_json() const override { return {{"expect", expect}}; }
};

// Throws osh::InputError naming `origin` and the field.
std::shared_ptr<const RebootConfig> parse_reboot_config(const nlohmann::json& section,
                                                        const std::string& origin);

class RebootHook final : public campaign::RunHook {
 public:
  explicit RebootHook(const RebootConfig& config) : config_(config) {}
  void on_marker(const marker::MarkerEvent& event) override;
  void tick(int64_t now_ns, campaign::RunControl& control) override;
  int64_t next_tick_ns() const override { return pending_ ? 0 : INT64_MAX; }
  void finish(campaign::RunResult& result) override;

 private:
  const RebootConfig& config_;
  int pending_ = 0;
  int done_ = 0;
};

campaign::RunHookInfo reboot_hook_info();

}  // namespace osh::e2e
