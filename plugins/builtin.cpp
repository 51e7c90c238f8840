#include "plugins/builtin.h"

#include "harness/vm/libvirt/libvirt_backend.h"
#include "harness/vm/qemu/qemu_backend.h"
#include "reports/report_writer.h"

namespace osh::plugins {

// Defined in the file plugins/CMakeLists.txt generates from its list of campaign folders.
void register_campaign_plugins(campaign::Plugins& plugins);

campaign::Plugins builtin_plugins() {
  campaign::Plugins plugins;
  plugins.backends.push_back(vm::qemu::qemu_backend());
  plugins.backends.push_back(vm::libvirt::libvirt_backend());
  register_campaign_plugins(plugins);
  // The core formats first; report.html draws the plug-ins' panels.
  auto writers = reports::builtin_writers(plugins.report_panels);
  writers.insert(writers.end(), plugins.report_writers.begin(), plugins.report_writers.end());
  plugins.report_writers = std::move(writers);
  return plugins;
}

}  // namespace osh::plugins
