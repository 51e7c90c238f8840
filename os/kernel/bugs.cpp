#include "os/kernel/bugs.h"

namespace rayos::kernel {
namespace {

constinit uint32_t planted_mask = 0;

}  // namespace

void set_planted_bugs(uint32_t mask) { __atomic_store_n(&planted_mask, mask, __ATOMIC_RELAXED); }

bool planted(BugKnob knob) {
  return (__atomic_load_n(&planted_mask, __ATOMIC_RELAXED) & knob) != 0;
}

}  // namespace rayos::kernel
