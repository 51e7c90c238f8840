#include "wpt/plugin.h"

#include "wpt/dashboard.h"
#include "wpt/wpt_command.h"
#include "wpt/wpt_hook.h"
#include "wpt/wptreport_writer.h"

namespace osh::wpt {

void register_plugin(campaign::Plugins& plugins) {
  plugins.run_hooks.push_back(wpt_hook_info());
  plugins.report_writers.push_back(std::make_shared<WptReportWriter>());
  plugins.report_panels.push_back(wpt_dashboard);
  plugins.commands.push_back(wpt_command());
}

}  // namespace osh::wpt
