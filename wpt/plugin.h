#pragma once
// The wpt campaign plug-in: the `wpt` spec section and its run hook, wptreport.json, the
// report.html dashboard and `osharness wpt` (docs/wpt.md).
#include "harness/campaign/plugins.h"

namespace osh::wpt {

void register_plugin(campaign::Plugins& plugins);

}  // namespace osh::wpt
