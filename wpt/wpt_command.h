#pragma once
// `osharness wpt ...`: the wpt plug-in's command line.
//   update-expectations <output folder | wptreport.json>... [--meta DIR]
//       rewrites wpt/meta from the results (several runs: a status seen in only some of them
//       becomes an intermittent list);
//   list [--data DIR]
//       the WPT tests rayos runs, with their subtest counts.
#include "harness/campaign/plugins.h"

namespace osh::wpt {

campaign::CommandInfo wpt_command();

}  // namespace osh::wpt
