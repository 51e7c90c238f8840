#pragma once
// What the net folder adds to osharness: the "network" run hook (a NIC per VM, captures, the
// RFC 2131 and pair checks; docs/network.md).
#include "harness/campaign/plugins.h"

namespace osh::net {

void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::net
