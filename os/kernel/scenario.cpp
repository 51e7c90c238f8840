#include "os/kernel/scenario.h"

#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/exit.h"
#include "os/kernel/fuzz_coverage.h"
#include "os/kernel/integration.h"

namespace rayos::kernel {

bool run_scenario(const RunRequest& request, TextBuffer& error) {
  const Scenario* scenario = find_scenario(request.scenario);
  if (scenario == nullptr) {
    error.add("unknown_scenario=").add(request.scenario);
    return false;
  }
  ScenarioContext context{request.seed, {}};
  if (!resolve_params(scenario->params, scenario->param_count, request.params, request.param_count,
                      context.params, error))
    return false;
  if (request.coverage && !scenario_coverage_on()) {
    error.add("osh.coverage=1_but_no_memory_for_its_counters");
    return false;
  }
  set_planted_bugs(request.bugs);
  set_screenshots_wanted(request.screenshots);
  emit<markers::kScenarioStart>(scenario->name, request.seed);
  start_heartbeats();
  exit_guest(scenario->run(context));
}

}  // namespace rayos::kernel
