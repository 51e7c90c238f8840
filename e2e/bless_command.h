#pragma once
// `osharness e2e bless OUT_DIR`: makes the screenshots of a finished campaign the goldens they
// were compared with (docs/e2e.md). Every screenshot of every run is copied over the golden
// named in its run's analysis (the spec's `screenshots.golden` folder); the first run wins when
// several took the same one.
#include "harness/campaign/plugins.h"

namespace osh::e2e {

campaign::CommandInfo e2e_command();

}  // namespace osh::e2e
