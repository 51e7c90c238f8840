#pragma once
// The host side of a campaign: which VM backend, which accelerator, which marker schemas,
// and the stop signals, bundled as the RunEnvironment the runner needs.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "harness/campaign/runner.h"
#include "harness/cli/stop_signals.h"
#include "harness/marker/schema.h"

namespace osh::cli {

class Environment {
 public:
  explicit Environment(StopSignals& signals);
  campaign::RunEnvironment& run_environment() { return env_; }

 private:
  const marker::Schema& schema(const std::string& name);
  campaign::AccelChoice accel(const std::string& requested);

  campaign::RunEnvironment env_;
  std::mutex mutex_;  // runs on several threads share the caches
  std::map<std::string, std::unique_ptr<marker::Schema>> schemas_;
  std::optional<campaign::AccelChoice> measured_;
};

}  // namespace osh::cli
