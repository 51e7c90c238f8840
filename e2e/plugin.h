#pragma once
#include "harness/campaign/plugins.h"

namespace osh::e2e {

// The `timeline` run hook and the report's Timelines section (docs/e2e.md).
void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::e2e
