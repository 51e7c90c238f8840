#pragma once
// What the stress folder adds to osharness: the stress analyzer (degradation curve, responsiveness,
// disk corruption).
#include "harness/campaign/plugins.h"

namespace osh::stress {

void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::stress
