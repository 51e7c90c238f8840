#pragma once
// Finds where one of a few words (a crash table's trigger words) first occurs in a buffer, in
// one pass over it, however many words there are: a substring search per word and line cost
// `osharness parse` 16% of its time on a log with no word in it at all (docs/performance.md).
// With AVX2 (chosen at run time), 32 positions at a time are tested against the words' first
// three bytes with nibble tables (Hyperscan's "Teddy": eight buckets of words, each byte's low
// and high nibble looked up with a shuffle), and only the rare candidates are compared in
// full; elsewhere, one memmem per word.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace osh {

class WordSieve {
 public:
  WordSieve() = default;
  // Words must not be empty.
  explicit WordSieve(std::vector<std::string> words);

  bool empty() const { return words_.empty(); }
  const std::vector<std::string>& words() const { return words_; }

  // The first place in [p, end) where a word starts and ends within [p, end); nullptr if none.
  // `vectorised` false: memmem only (tests compare the ways).
  const char* find(const char* p, const char* end, bool vectorised = true) const;

 private:
  const char* find_memmem(const char* p, const char* end) const;
  template <bool kAscii>
  const char* find_teddy(const char* p, const char* end) const;
  // Whether a word of one of `buckets` starts at `at` and ends by `end`.
  bool word_at(const char* at, const char* end, uint8_t buckets) const;

  std::vector<std::string> words_;
  struct Head {  // a word's first 8 bytes (fewer, for a shorter word) as one number
    uint64_t bytes = 0, mask = 0;
  };
  std::vector<Head> heads_;  // one per word
  // Teddy's tables, usable when every word has at least kFingerprint bytes: bit b of
  // nibbles_[k][0][n] is set when a word of bucket b has low nibble n at its byte k; [1] for
  // the high nibble.
  static constexpr size_t kFingerprint = 3;
  bool teddy_ = false;
  bool ascii_ = true;  // every fingerprint byte below 0x80
  alignas(16) std::array<std::array<std::array<uint8_t, 16>, 2>, kFingerprint> nibbles_{};
};

}  // namespace osh
