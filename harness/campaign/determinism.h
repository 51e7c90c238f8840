#pragma once
// Which runs are deterministic (docs/determinism.md). A spec asks with guest.deterministic; a run
// is deterministic when nothing acts on its guest at host times: a run hook that does (faults
// applied at wall-clock times, frames from a network) makes it non-deterministic, and the run
// record says so.
#include <string>

#include "harness/campaign/spec.h"

namespace osh::campaign {

struct Determinism {
  bool deterministic = false;
  std::string reason;  // why not, when the spec asked for it; "" otherwise
};

Determinism determinism_of(const Spec& spec);

// What of the spec's run hooks acts on the guest at host times ("" when nothing does): what
// record/replay cannot capture (a disk it can: its completions go through blkreplay).
std::string host_timed_hooks(const Spec& spec);

}  // namespace osh::campaign
