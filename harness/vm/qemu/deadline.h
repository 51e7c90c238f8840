#pragma once
#include <algorithm>
#include <chrono>
#include <cstdint>

#include "harness/base/clock.h"

namespace osh::vm::qemu {

inline int64_t deadline_after(std::chrono::milliseconds timeout) {
  return monotonic_ns() + int64_t(timeout.count()) * 1'000'000;
}

// poll()'s timeout until `deadline_ns`, rounded up so that a wake-up is never early; 0 once
// the deadline has passed.
inline int poll_ms_until(int64_t deadline_ns) {
  const int64_t left = deadline_ns - monotonic_ns();
  if (left <= 0) return 0;
  return int(std::min<int64_t>((left + 999'999) / 1'000'000, 1 << 30));
}

}  // namespace osh::vm::qemu
