#pragma once
// Edge coverage for the in-guest fuzzer, AFL-style: each basic block the compiler instrumented
// (-fsanitize-coverage=trace-pc) reports its address; the pair (previous block, this block)
// hashes to a byte counter. After each input, merge() folds the counters into hit-count classes
// (1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+) and says whether any edge or class is new: only
// such inputs join the corpus and cross the serial port.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

class EdgeMap {
 public:
  static constexpr unsigned kBits = 12;
  static constexpr size_t kSize = size_t{1} << kBits;

  // One instrumented block at `pc` ran.
  void hit(uint64_t pc) {
    const uint32_t cur =
        static_cast<uint32_t>(((pc >> 4) ^ (pc >> 17)) * 0x9e3779b1u) >> (32 - kBits);
    uint8_t& counter = counts_[cur ^ prev_];
    if (counter != 0xff) ++counter;
    prev_ = cur >> 1;
  }
  // Starts an input: the path restarts from no previous block.
  void begin() { prev_ = 0; }
  // Folds this input's counters into what was ever seen and clears them; true when something
  // is new.
  bool merge();
  // Edges ever hit.
  uint32_t edges() const { return edges_; }

 private:
  alignas(8) uint8_t counts_[kSize]{};
  uint8_t seen_[kSize]{};
  uint32_t prev_ = 0;
  uint32_t edges_ = 0;
};

}  // namespace rayos
