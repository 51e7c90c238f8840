#pragma once
// The `fuzz` section of a campaign spec and the run hook that owns it (docs/fuzz-campaigns.md):
// the guest's fuzz scenario fuzzes one target; the hook boots it with the campaign's corpus
// folder as the initrd, stores every input the guest reports as new coverage back into that
// folder, buckets the crashes (restarting the VM after each until the duration is over), keeps
// each bucket's smallest input with a repro bundle that replays it, and reports coverage growth.
#include <filesystem>
#include <memory>
#include <string>

#include "harness/campaign/run_hook.h"

namespace osh::guestfuzz {

struct FuzzConfig final : campaign::HookConfig {
  std::string target;  // one of the guest's targets (os/workloads/fuzz_targets.h)
  double duration_s = 0;
  std::filesystem::path corpus_dir;
  // Set in a bucket's repro bundle: boot with this one input and replay it, no fuzzing.
  std::filesystem::path replay;
  int max_restarts = 1000;  // VMs started after crashes, at most
  // Reruns (one VM boot each) spent shrinking each new bucket's smallest input; 0: none.
  int minimize_runs = 32;
  // VMs fuzzing at once, one run each (own seed, one corpus folder); 0: the spec's `repeat`.
  int jobs = 0;
  // The guest counts the runs of each instrumented block: coverage.info (lcov) per run.
  bool coverage = true;

  nlohmann::json to_json() const override;
  int runs() const override { return jobs; }
  std::vector<std::string> host_access(const std::filesystem::path& own_folder) const override;
};

// The targets rayos has, for the section's check (os/workloads/fuzz_targets.cpp).
inline constexpr const char* kTargets[] = {"cmdline", "ipc", "syscall", "url", "compositor", "elf"};

// Throws osh::InputError naming `origin` and the field.
std::shared_ptr<const FuzzConfig> parse_fuzz_config(const nlohmann::json& section,
                                                    const std::string& origin, double scale);

campaign::RunHookInfo fuzz_hook_info();

}  // namespace osh::guestfuzz
