#include "os/core/clock_math.h"

namespace rayos {
namespace {

__extension__ typedef unsigned __int128 u128;

}  // namespace

uint64_t pit_ticks_to_ns(uint64_t ticks) {
  constexpr uint64_t kNsPerPitSecond = kPitDivisor * 1000000000ull;  // ns in kPitHz ticks
  uint64_t whole = ticks / kPitHz;
  uint64_t rest = ticks % kPitHz;  // rest * kNsPerPitSecond < 1.5e18: fits
  return whole * kNsPerPitSecond + rest * kNsPerPitSecond / kPitHz;
}

uint64_t median_in_place(uint64_t* values, size_t n) {
  for (size_t i = 1; i < n; ++i) {  // insertion sort: n is small (one value per tick)
    uint64_t v = values[i];
    size_t j = i;
    for (; j > 0 && values[j - 1] > v; --j) values[j] = values[j - 1];
    values[j] = v;
  }
  return values[n / 2];
}

TscScale TscScale::from_window(uint64_t cycles, uint64_t ns) {
  // Keep ns << 32 inside 64 bits; halving both keeps the ratio.
  while (ns >= (1ull << 32)) {
    ns >>= 1;
    cycles >>= 1;
  }
  TscScale scale;
  if (cycles != 0 && ns != 0) scale.mult_ = (ns << 32) / cycles;
  return scale;
}

uint64_t TscScale::to_ns(uint64_t cycles) const {
  return static_cast<uint64_t>((static_cast<u128>(cycles) * mult_) >> 32);
}

uint64_t TscScale::khz() const { return mult_ == 0 ? 0 : (1000000ull << 32) / mult_; }

}  // namespace rayos
