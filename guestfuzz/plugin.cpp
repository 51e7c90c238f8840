#include "guestfuzz/plugin.h"

#include "guestfuzz/coverage_panel.h"
#include "guestfuzz/fuzz_hook.h"

namespace osh::guestfuzz {

void register_plugin(campaign::Plugins& plugins) {
  plugins.run_hooks.push_back(fuzz_hook_info());
  plugins.report_panels.push_back(coverage_panel);
}

}  // namespace osh::guestfuzz
