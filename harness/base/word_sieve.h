#pragma once
// Finds where one of a few words (a crash table's trigger words) first occurs in a buffer, in
// one pass over it, however many words there are: a substring search per word and line cost
// `osharness parse` 16% of its time on a log with no word in it at all (docs/performance.md).
// With AVX-512 (BW and VBMI) or AVX2 (chosen at run time), 64 or 32 positions at a time are
// tested against three bytes of each word with nibble tables (Hyperscan's "Teddy": eight
// buckets of words, each byte's low and high nibble looked up with a shuffle), and only the
// rare candidates are compared in full; elsewhere, one memmem per word.
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

  // How find() looks: the fastest way the CPU has, or one named (tests compare the ways; a way
  // the CPU lacks falls back to memmem).
  enum class Way { Fastest, Avx512, Avx2, Memmem };
  // Whether this CPU has what `way` needs (Fastest and Memmem: always).
  static bool supported(Way way);

  // The first place in [p, end) where a word starts and ends within [p, end); nullptr if none.
  const char* find(const char* p, const char* end, Way way = Way::Fastest) const;

 private:
  const char* find_memmem(const char* p, const char* end) const;
  template <bool kAscii>
  const char* find_teddy(const char* p, const char* end) const;
  template <bool kAscii>
  const char* find_teddy512(const char* p, const char* end) const;
  // The earliest word in [from, end) of those whose fingerprint window is at one of
  // `candidates` (bit i: place at + i), of the buckets per_byte[i].
  const char* first_word(const char* at, const char* from, const char* end, const uint8_t* per_byte,
                         uint64_t candidates) const;
  // The earliest start in [from, end) of a word of one of `buckets` whose window is at `at`.
  const char* word_at(const char* at, const char* from, const char* end, uint8_t buckets) const;
  // `hit`, found through its window at `window`, or a word that starts before it and whose
  // window comes later.
  const char* earliest(const char* hit, const char* window, const char* from,
                       const char* end) const;

  std::vector<std::string> words_;
  struct Head {
    uint64_t bytes = 0, mask = 0;  // the word's first 8 bytes (fewer, if shorter) as one number
    size_t window = 0;             // where its fingerprint starts in it
  };
  std::vector<Head> heads_;  // one per word
  size_t last_window_ = 0;   // the largest window
  // Teddy's tables, usable when every word has at least kFingerprint bytes: bit b of
  // nibbles_[k][0][n] is set when a word of bucket b has low nibble n at byte k of its window;
  // [1] for the high nibble. A candidate is a place where a window may start.
  static constexpr size_t kFingerprint = 3;
  bool teddy_ = false;
  bool ascii_ = true;  // every fingerprint byte below 0x80
  alignas(16) std::array<std::array<std::array<uint8_t, 16>, 2>, kFingerprint> nibbles_{};
};

}  // namespace osh
