#pragma once
// Time arithmetic for the PIT tick and the TSC, in 64-bit integers only (the guest has no
// floating point and no 128-bit division helper).
#include <stddef.h>
#include <stdint.h>

namespace rayos {

// The PIT's input clock and the divisor the kernel programs: one tick is
// kPitDivisor / kPitHz seconds = 999847.3 ns.
inline constexpr uint64_t kPitHz = 1193182;
inline constexpr uint64_t kPitDivisor = 1193;

// Exact (floored) nanoseconds in `ticks` PIT ticks, without overflow for any tick count the
// kernel can reach (the result overflows only after ~584 years).
uint64_t pit_ticks_to_ns(uint64_t ticks);

// The median of `values` (the upper one for an even count); reorders them. n must be > 0.
// Calibration uses the median tick length: a tick delivered late, or lost under host load,
// shifts one or two samples, not the result.
uint64_t median_in_place(uint64_t* values, size_t n);

// TSC cycles to nanoseconds, from one measured window of `cycles` cycles in `ns` nanoseconds.
// Fixed point: ns = cycles * mult >> 32.
class TscScale {
 public:
  constexpr TscScale() = default;
  // An invalid (zero) scale when either input is zero.
  static TscScale from_window(uint64_t cycles, uint64_t ns);

  bool valid() const { return mult_ != 0; }
  uint64_t to_ns(uint64_t cycles) const;
  uint64_t khz() const;

 private:
  uint64_t mult_ = 0;
};

}  // namespace rayos
