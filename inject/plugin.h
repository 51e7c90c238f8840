#pragma once
// What the inject folder adds to osharness: the "faults" run hook (host-side fault injection) and
// the failure analyzer of the guest's FAILURE markers.
#include "harness/campaign/plugins.h"

namespace osh::inject {

void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::inject
