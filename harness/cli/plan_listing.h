#pragma once
// `osharness run --list` and `--dry-run`: what a campaign would run, printed instead of run.
#include <ostream>
#include <vector>

#include "harness/campaign/campaign.h"
#include "harness/campaign/spec.h"

namespace osh::cli {

// One line per spec: name, runs, tags, where it was read from.
void print_spec_list(const std::vector<campaign::Spec>& specs, std::ostream& out);

// One line per planned run: index, spec, repeat, seed and the guest's kernel command line. A
// seed the run would draw at random (`random_seeds` and a spec without one) is printed as
// "random", not as the one this plan happened to draw.
void print_dry_run(const std::vector<campaign::Spec>& specs,
                   const std::vector<campaign::PlannedRun>& runs, bool random_seeds,
                   std::ostream& out);

}  // namespace osh::cli
