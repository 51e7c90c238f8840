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
  plugins.report_writers = reports::builtin_writers();
  register_campaign_plugins(plugins);
  return plugins;
}

}  // namespace osh::plugins
