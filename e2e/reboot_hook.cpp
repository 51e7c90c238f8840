#include "e2e/reboot_hook.h"

#include <fmt/format.h>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"

namespace osh::e2e {

std::shared_ptr<const RebootConfig> parse_reboot_config(const nlohmann::json& section,
                                                        const std::string& origin) {
  if (!section.is_object()) {
    throw InputError(origin + ": reboots: expected an object such as {\"expect\": 1}");
  }
  JsonReader r(section, origin, "reboots");
  auto config = std::make_shared<RebootConfig>();
  config->expect = static_cast<int>(r.required(r.integer("expect", 0, 100), "expect"));
  r.reject_unknown();
  return config;
}

void RebootHook::on_marker(const marker::MarkerEvent& e) {
  if (e.is("INTEGRATION", "REBOOT")) ++pending_;
}

void RebootHook::tick(int64_t, campaign::RunControl& control) {
  for (; pending_ > 0; --pending_) {
    control.vm().reset();
    ++done_;
  }
}

void RebootHook::finish(campaign::RunResult& result) {
  result.metrics["reboots.done"] = done_;
  if (done_ == config_.expect) return;
  result.findings.push_back(
      {campaign::Verdict::Fail,
       fmt::format("reboots: the guest asked for {} power cycle(s) (INTEGRATION:REBOOT), the spec "
                   "expects {}",
                   done_, config_.expect),
       "FAIL reboots count"});
}

campaign::RunHookInfo reboot_hook_info() {
  return {
      "reboots",
      "Resets the VM when the guest asks for a power cycle and checks how many it asked for "
      "(docs/e2e.md)",
      {{"reboots.done", "", campaign::MetricInfo::Better::Neither,
        "VM resets done at the guest's request"}},
      [](const nlohmann::json& section, const std::string& origin, double) {
        return std::shared_ptr<const campaign::HookConfig>(parse_reboot_config(section, origin));
      },
      [](const campaign::HookConfig& config, const campaign::HookSetup&) {
        return std::make_unique<RebootHook>(static_cast<const RebootConfig&>(config));
      }};
}

}  // namespace osh::e2e
