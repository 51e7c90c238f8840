#include "inject/plugin.h"

#include "inject/failure_analyzer.h"
#include "inject/fault_injector.h"

namespace osh::inject {

void register_plugin(campaign::Plugins& plugins) {
  plugins.run_hooks.push_back(fault_injection_hook());
  plugins.analyzers.push_back(FailureAnalyzer::info());
}

}  // namespace osh::inject
