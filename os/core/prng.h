#pragma once
// The guest's seeded PRNG: xoshiro256** (Blackman & Vigna), its state filled from the 64-bit
// run seed by splitmix64, so that one seed gives one stream on every run.
#include <stdint.h>

namespace rayos {

uint64_t splitmix64(uint64_t& state);

class Prng {
 public:
  explicit Prng(uint64_t seed);

  uint64_t next();
  // Uniform in [0, bound) without modulo bias; bound 0 gives 0.
  uint64_t below(uint64_t bound);
  // True with probability num/den.
  bool chance(uint64_t num, uint64_t den) { return below(den) < num; }

 private:
  uint64_t s_[4];
};

}  // namespace rayos
