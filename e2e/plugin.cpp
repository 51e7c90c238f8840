#include "e2e/plugin.h"

#include "e2e/timeline_hook.h"
#include "e2e/timeline_panel.h"

namespace osh::e2e {

void register_plugin(campaign::Plugins& plugins) {
  plugins.run_hooks.push_back(timeline_hook_info());
  plugins.report_panels.push_back(timeline_panel);
}

}  // namespace osh::e2e
