#include "e2e/plugin.h"

#include "e2e/bless_command.h"
#include "e2e/reboot_hook.h"
#include "e2e/screenshot_hook.h"
#include "e2e/screenshot_panel.h"
#include "e2e/timeline_hook.h"
#include "e2e/timeline_panel.h"

namespace osh::e2e {

void register_plugin(campaign::Plugins& plugins) {
  plugins.run_hooks.push_back(timeline_hook_info());
  plugins.run_hooks.push_back(screenshot_hook_info());
  plugins.run_hooks.push_back(reboot_hook_info());
  plugins.report_panels.push_back(timeline_panel);
  plugins.report_panels.push_back(screenshot_panel);
  plugins.commands.push_back(e2e_command());
}

}  // namespace osh::e2e
