#pragma once
#include <cstdint>
#include <ctime>

namespace osh {

// Host CLOCK_MONOTONIC in nanoseconds: the time base of every stamp the harness records.
inline int64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Wall-clock time, for report headers only (never for measuring).
inline int64_t realtime_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace osh
