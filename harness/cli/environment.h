#pragma once
// The host side of a campaign: the plug-ins (backends, analyzers, hooks), the marker schemas and
// the stop signals, bundled as the RunEnvironment the runner needs.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "harness/campaign/plugins.h"
#include "harness/campaign/runner.h"
#include "harness/cli/stop_signals.h"
#include "harness/marker/schema.h"

namespace osh::cli {

class Environment {
 public:
  Environment(StopSignals& signals, const campaign::Plugins& plugins);
  campaign::RunEnvironment& run_environment() { return env_; }

 private:
  const marker::Schema& schema(const std::string& name);

  campaign::RunEnvironment env_;
  campaign::StartGate start_gate_;
  std::mutex mutex_;  // runs on several threads share the cache
  std::map<std::string, std::unique_ptr<marker::Schema>> schemas_;
};

}  // namespace osh::cli
