#pragma once
// Scenarios: the workloads (os/workloads/) a run asks for by name. Each declares its parameters;
// the runner checks a request against them, prints SCENARIO:START, starts the heartbeat, runs
// the scenario and exits with the code it returns (scenarios that never return just don't).
#include <stddef.h>
#include <stdint.h>

#include "os/core/cmdline.h"
#include "os/core/params.h"
#include "os/core/string_view.h"
#include "os/core/text_buffer.h"

namespace rayos::kernel {

inline constexpr size_t kMaxScenarioParams = 8;

struct ScenarioContext {
  uint64_t seed;
  uint64_t params[kMaxScenarioParams];  // params[i] belongs to Scenario::params[i]
};

struct Scenario {
  StringView name;
  const ParamSpec* params;
  size_t param_count;
  uint32_t (*run)(const ScenarioContext&);  // returns the exit code
};

template <size_t N>
constexpr Scenario make_scenario(StringView name, const ParamSpec (&params)[N],
                                 uint32_t (*run)(const ScenarioContext&)) {
  static_assert(N <= kMaxScenarioParams, "raise kMaxScenarioParams");
  return Scenario{name, params, N, run};
}
constexpr Scenario make_scenario(StringView name, uint32_t (*run)(const ScenarioContext&)) {
  return Scenario{name, nullptr, 0, run};
}

// Every scenario rayos knows (scenario_registry.cpp).
const Scenario* find_scenario(StringView name);

// Runs the request and never returns, unless the request is bad: then returns false with the
// reason in `error` and has printed nothing.
bool run_scenario(const RunRequest& request, TextBuffer& error);

}  // namespace rayos::kernel
