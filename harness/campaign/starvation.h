#pragma once
// A host-time interval made load-proof: the time QEMU waited for a host CPU over that same
// interval (its scheduler run delay, harness/vm/qemu/proc_cpu.h) is taken off the wall time, so
// that a run does not fail a time criterion because the host was busy (docs/specs.md,
// "Criteria under load").
#include <algorithm>
#include <cstdint>

namespace osh::campaign {

// Milliseconds of `wall_ns` less `starved_ns`; never negative (the two clocks' granularities
// differ, so the wait can exceed the wall time by a tick).
inline double less_starvation_ms(int64_t wall_ns, int64_t starved_ns) {
  return std::max(0.0, static_cast<double>(wall_ns - starved_ns) / 1e6);
}

}  // namespace osh::campaign
