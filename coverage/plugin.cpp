#include "coverage/plugin.h"

#include "coverage/coverage_hook.h"

namespace osh::coverage {

void register_plugin(campaign::Plugins& plugins) {
  plugins.run_hooks.push_back(coverage_hook_info());
}

}  // namespace osh::coverage
