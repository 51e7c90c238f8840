#pragma once
// The in-guest fuzzer's mutator: from a corpus entry, one to eight stacked changes drawn from the
// run's seeded PRNG — bit flips, byte sets (random or from a set of parser-significant bytes),
// inserts, erases, chunk copies, dictionary words (the target's keywords, as libFuzzer's -dict)
// and splices with another corpus entry. Same seed and corpus, same inputs.
#include <stddef.h>
#include <stdint.h>

#include "os/core/fuzz/corpus.h"
#include "os/core/prng.h"
#include "os/core/string_view.h"

namespace rayos {

struct Dictionary {
  const StringView* words = nullptr;
  size_t count = 0;
};

class Mutator {
 public:
  Mutator(uint64_t seed, Dictionary dictionary) : prng_(seed), dictionary_(dictionary) {}

  // A mutant of a randomly chosen corpus entry (an empty input if the corpus is empty) in `out`.
  void next(const Corpus& corpus, FuzzInput& out);

 private:
  void mutate_once(const Corpus& corpus, FuzzInput& input);
  void insert(FuzzInput& input, size_t at, const uint8_t* data, size_t size);
  void erase(FuzzInput& input, size_t at, size_t size);

  Prng prng_;
  Dictionary dictionary_;
};

}  // namespace rayos
