#pragma once
// What the soak folder adds to osharness: the soak analyzer (fps, latency, leak slope over long
// runs).
#include "harness/campaign/plugins.h"

namespace osh::soak {

void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::soak
