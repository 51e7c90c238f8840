#pragma once
#include "harness/campaign/plugins.h"

namespace osh::e2e {

// The `timeline` and `screenshots` run hooks, the report's Timelines and Screenshots sections
// and `osharness e2e bless` (docs/e2e.md).
void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::e2e
