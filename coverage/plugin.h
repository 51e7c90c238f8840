#pragma once
// What the coverage folder adds to osharness: the "coverage" run hook, line coverage of any
// scenario from the guest's block counts (docs/fuzz-campaigns.md, "Coverage of any scenario"),
// and the LineCoverage the fuzz hook shares.
#include "harness/campaign/plugins.h"

namespace osh::coverage {

void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::coverage
