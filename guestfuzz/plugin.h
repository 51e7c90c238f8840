#pragma once
// What the guestfuzz folder adds to osharness: the "fuzz" run hook, which runs coverage-guided
// fuzz campaigns inside the guest (docs/fuzz-campaigns.md). The host's own libFuzzer targets
// are in fuzz/.
#include "harness/campaign/plugins.h"

namespace osh::guestfuzz {

void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::guestfuzz
