#pragma once
// The planted bugs (os/core/bug_knobs.h) this boot runs with, set once from the request.
#include <stdint.h>

#include "os/core/bug_knobs.h"

namespace rayos::kernel {

void set_planted_bugs(uint32_t mask);
bool planted(BugKnob knob);

}  // namespace rayos::kernel
