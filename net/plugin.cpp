#include "net/plugin.h"

#include "net/network_hook.h"

namespace osh::net {

void register_plugin(campaign::Plugins& plugins) { plugins.run_hooks.push_back(network_hook()); }

}  // namespace osh::net
