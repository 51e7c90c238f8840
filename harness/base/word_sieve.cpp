#include "harness/base/word_sieve.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace osh {
namespace {

constexpr size_t kBuckets = 8;

// Where in a word its fingerprint of `bytes` bytes is taken: the window with the fewest
// lowercase letters and spaces, the earliest of equals. Console text is mostly lowercase words:
// with every fingerprint at its word's start, "kernel BUG at" made each "kernel" a candidate
// (97% of the candidates in a 30%-marker log of osh_gen_console_log); "BUG" made almost none.
size_t window_of(const std::string& word, size_t bytes) {
  const auto common = [](char c) { return (c >= 'a' && c <= 'z') || c == ' '; };
  size_t best = 0;
  long fewest = -1;
  for (size_t at = 0; at + bytes <= word.size(); ++at) {
    const long count =
        std::count_if(word.begin() + long(at), word.begin() + long(at + bytes), common);
    if (fewest < 0 || count < fewest) {
      best = at;
      fewest = count;
    }
  }
  return best;
}

}  // namespace

WordSieve::WordSieve(std::vector<std::string> words) : words_(std::move(words)) {
  teddy_ = !words_.empty();
  for (size_t j = 0; j < words_.size(); ++j) {
    const std::string& word = words_[j];
    if (word.empty()) throw std::invalid_argument("WordSieve: an empty word");
    Head& head = heads_.emplace_back();
    std::memcpy(&head.bytes, word.data(), std::min<size_t>(word.size(), 8));
    head.mask = word.size() >= 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * word.size())) - 1;
    if (word.size() < kFingerprint) {
      teddy_ = false;
      continue;
    }
    head.window = window_of(word, kFingerprint);
    last_window_ = std::max(last_window_, head.window);
    const auto bucket = uint8_t(1u << (j % kBuckets));
    for (size_t k = 0; k < kFingerprint; ++k) {
      const auto byte = uint8_t(word[head.window + k]);
      ascii_ = ascii_ && byte < 0x80;
      nibbles_[k][0][byte & 15] |= bucket;
      nibbles_[k][1][byte >> 4] |= bucket;
    }
  }
}

const char* WordSieve::word_at(const char* at, const char* from, const char* end,
                               uint8_t buckets) const {
  // Only the words of the candidate's buckets, and memcmp only past matching first 8 bytes:
  // nearly every candidate is a false one (the nibble tables pass mixes of two words' nibbles).
  // Trying every word with memcmp cost 4% of `osharness parse` on the 30% log; a call past a
  // matching first byte, 3%.
  const char* first = nullptr;
  for (; buckets != 0; buckets &= uint8_t(buckets - 1)) {
    const size_t bucket = size_t(__builtin_ctz(buckets));
    for (size_t j = bucket; j < words_.size(); j += kBuckets) {
      const std::string& word = words_[j];
      const Head& head = heads_[j];
      if (size_t(at - from) < head.window) continue;  // it would start before `from`
      const char* const start = at - head.window;
      const size_t left = size_t(end - start);
      if (left < word.size() || (first != nullptr && start >= first)) continue;
      bool same = false;
      if (left < 8) {
        same = std::memcmp(start, word.data(), word.size()) == 0;
      } else {
        uint64_t bytes = 0;
        std::memcpy(&bytes, start, 8);
        same = (bytes & head.mask) == head.bytes &&
               (word.size() <= 8 || std::memcmp(start + 8, word.data() + 8, word.size() - 8) == 0);
      }
      if (same) first = start;
    }
  }
  return first;
}

const char* WordSieve::earliest(const char* hit, const char* window, const char* from,
                                const char* end) const {
  // A word whose window lies after `window` starts no earlier than window - last_window_; none
  // lies before it, or it would have been found there. Rare: only for words that are there.
  for (const char* start = window - std::min(last_window_, size_t(window - from)); start < hit;
       ++start) {
    for (const std::string& word : words_) {
      if (size_t(end - start) >= word.size() && std::memcmp(start, word.data(), word.size()) == 0)
        return start;
    }
  }
  return hit;
}

const char* WordSieve::first_word(const char* at, const char* from, const char* end,
                                  const uint8_t* per_byte, uint64_t candidates) const {
  for (; candidates != 0; candidates &= candidates - 1) {
    const int i = __builtin_ctzll(candidates);
    if (const char* word = word_at(at + i, from, end, per_byte[i]))
      return last_window_ == 0 ? word : earliest(word, at + i, from, end);
  }
  return nullptr;
}

const char* WordSieve::find_memmem(const char* p, const char* end) const {
  const char* first = nullptr;
  for (const std::string& word : words_) {
    const char* until = first != nullptr ? std::min(end, first - 1 + word.size()) : end;
    if (until <= p) continue;
    const void* at = ::memmem(p, size_t(until - p), word.data(), word.size());
    if (at != nullptr) first = static_cast<const char*>(at);
  }
  return first;
}

#if defined(__x86_64__)
namespace {

// Teddy's step: the buckets of the words whose first kFingerprint bytes may start at each of the
// 32 places from `bytes` (it reads 32 + kFingerprint - 1 bytes). kAscii: every fingerprint byte
// is below 0x80, so a byte's low nibble is looked up without masking: the shuffle gives no
// bucket for a byte with its high bit set, which no fingerprint then holds.
template <size_t kFingerprint, bool kAscii>
__attribute__((target("avx2"), always_inline)) inline __m256i teddy_step(
    const char* bytes, const __m256i (&tables)[kFingerprint][2]) {
  const __m256i low = _mm256_set1_epi8(0x0f);
  __m256i buckets = _mm256_set1_epi8(-1);
  // Unrolled: the loop over k cost 1.85 instructions a byte of the log, unrolled 1.29
  // (callgrind, osharness parse of a 10 MB 30%-marker log).
#pragma GCC unroll 3
  for (size_t k = 0; k < kFingerprint; ++k) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + k));
    const __m256i lo = _mm256_shuffle_epi8(tables[k][0], kAscii ? v : _mm256_and_si256(v, low));
    const __m256i hi =
        _mm256_shuffle_epi8(tables[k][1], _mm256_and_si256(_mm256_srli_epi16(v, 4), low));
    buckets = _mm256_and_si256(buckets, _mm256_and_si256(lo, hi));
  }
  return buckets;
}

// The places of `buckets` that hold one.
__attribute__((target("avx2"), always_inline)) inline uint32_t places(__m256i buckets) {
  return ~uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(buckets, _mm256_setzero_si256())));
}

}  // namespace

template <bool kAscii>
__attribute__((target("avx2"))) const char* WordSieve::find_teddy(const char* p,
                                                                  const char* end) const {
  const char* const from = p;
  __m256i tables[kFingerprint][2];
  for (size_t k = 0; k < kFingerprint; ++k)
    for (size_t h = 0; h < 2; ++h)
      tables[k][h] = _mm256_broadcastsi128_si256(
          _mm_load_si128(reinterpret_cast<const __m128i*>(nibbles_[k][h].data())));
  // The buckets are stored only for a step with candidates, which nearly every step has not.
  alignas(32) uint8_t per_byte[32];
  const auto first_word = [&](const char* at, __m256i buckets, uint32_t candidates)
      __attribute__((target("avx2"))) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(per_byte), buckets);
    return this->first_word(at, from, end, per_byte, candidates);
  };
  constexpr size_t kStepBytes = 32 + kFingerprint - 1;
  // Two steps a turn of the loop: one test of both steps' places, and half the loop's own
  // instructions. No call in it (as in find_teddy512): the candidates are checked outside.
  while (size_t(end - p) >= 32 + kStepBytes) {
    __m256i first, second;
    bool found = false;
    for (; size_t(end - p) >= 32 + kStepBytes && !found; p += 64) {
      first = teddy_step<kFingerprint, kAscii>(p, tables);
      second = teddy_step<kFingerprint, kAscii>(p + 32, tables);
      found = places(_mm256_or_si256(first, second)) != 0;
    }
    if (!found) break;
    if (const uint32_t candidates = places(first); candidates != 0) {
      if (const char* word = first_word(p - 64, first, candidates)) return word;
    }
    if (const char* word = first_word(p - 32, second, places(second))) return word;
  }
  if (size_t(end - p) >= kStepBytes) {
    const __m256i buckets = teddy_step<kFingerprint, kAscii>(p, tables);
    if (const uint32_t candidates = places(buckets); candidates != 0) {
      if (const char* word = first_word(p, buckets, candidates)) return word;
    }
    p += 32;
  }
  if (p >= end) return nullptr;
  // The last places in one more step, over a copy padded with zeros: the crash scanner sieves
  // every console line, and taking a line's last places byte by byte cost more than its steps.
  // A word that starts in the last kFingerprint - 1 bytes ends past `end`: 32 places suffice.
  alignas(32) char tail[kStepBytes] = {};
  std::memcpy(tail, p, size_t(end - p));
  const uint32_t wanted = end - p >= 32 ? ~uint32_t(0) : uint32_t((uint64_t(1) << (end - p)) - 1);
  const __m256i buckets = teddy_step<kFingerprint, kAscii>(tail, tables);
  return first_word(p, buckets, wanted & places(buckets));
}

namespace {

// Teddy's step as above, 64 places in one register, given the 64 bytes from the first place
// and the 64 after them. The bytes one and two places on are taken from the two registers with
// a permute (VBMI), not loaded: a 64-byte load anywhere but at a cache line's start reads two
// lines, and with such loads the sieve ran at 10 GB/s in BM_CrashSieve, slower than AVX2 (15);
// with permutes, 28.
template <size_t kFingerprint, bool kAscii>
__attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline)) inline __m512i teddy_step512(
    __m512i here, __m512i next, const __m512i (&tables)[kFingerprint][2]) {
  const __m512i low = _mm512_set1_epi8(0x0f),
                places = _mm512_set_epi64(
                    0x3f3e3d3c3b3a3938, 0x3736353433323130, 0x2f2e2d2c2b2a2928, 0x2726252423222120,
                    0x1f1e1d1c1b1a1918, 0x1716151413121110, 0x0f0e0d0c0b0a0908, 0x0706050403020100);
  __m512i buckets = _mm512_set1_epi8(-1);
#pragma GCC unroll 3
  for (size_t k = 0; k < kFingerprint; ++k) {
    const __m512i v = k == 0 ? here
                             : _mm512_permutex2var_epi8(
                                   here, _mm512_add_epi8(places, _mm512_set1_epi8(char(k))), next);
    const __m512i lo = _mm512_shuffle_epi8(tables[k][0], kAscii ? v : _mm512_and_si512(v, low));
    const __m512i hi =
        _mm512_shuffle_epi8(tables[k][1], _mm512_and_si512(_mm512_srli_epi16(v, 4), low));
    buckets = _mm512_and_si512(buckets, _mm512_and_si512(lo, hi));
  }
  return buckets;
}

}  // namespace

template <bool kAscii>
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) const char* WordSieve::find_teddy512(
    const char* p, const char* end) const {
  const char* const from = p;
  __m512i tables[kFingerprint][2];
  // The maskz form: GCC 12's _mm512_broadcast_i32x4 warns of its own undefined operand.
  for (size_t k = 0; k < kFingerprint; ++k)
    for (size_t h = 0; h < 2; ++h)
      tables[k][h] = _mm512_maskz_broadcast_i32x4(
          __mmask16(0xffff),
          _mm_load_si128(reinterpret_cast<const __m128i*>(nibbles_[k][h].data())));
  alignas(64) uint8_t per_byte[64];
  // The first word among `candidates` of the 64 places from `at`, with `wanted` of them tested.
  const auto first_word = [&](const char* at, __m512i buckets, uint64_t wanted)
                              __attribute__((target("avx512f,avx512bw")))
                                  ->const char* {
    const uint64_t candidates = wanted & _mm512_test_epi8_mask(buckets, buckets);
    if (candidates == 0) return nullptr;
    _mm512_store_si512(per_byte, buckets);
    return this->first_word(at, from, end, per_byte, candidates);
  };
  if (size_t(end - p) >= 128) {
    __m512i here = _mm512_loadu_si512(p);
    for (;;) {
      // No call in this loop: a call clobbers every vector register, and GCC then reloaded the
      // tables from the stack at every step, which ran at a third of the speed.
      __m512i buckets;
      uint64_t candidates = 0;
      for (; size_t(end - p) >= 128 && candidates == 0; p += 64) {
        const __m512i next = _mm512_loadu_si512(p + 64);
        buckets = teddy_step512<kFingerprint, kAscii>(here, next, tables);
        candidates = _mm512_test_epi8_mask(buckets, buckets);
        here = next;
      }
      if (candidates == 0) break;
      if (const char* word = first_word(p - 64, buckets, candidates)) return word;
    }
  }
  if (p >= end) return nullptr;
  // The last places (fewer than 128) over a copy padded with zeros, as find_teddy does.
  alignas(64) char tail[192] = {};
  const size_t left = size_t(end - p);
  std::memcpy(tail, p, left);
  const auto wanted = [](size_t n) { return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1; };
  const __m512i first = _mm512_load_si512(tail), second = _mm512_load_si512(tail + 64);
  if (const char* word =
          first_word(p, teddy_step512<kFingerprint, kAscii>(first, second, tables), wanted(left)))
    return word;
  if (left <= 64) return nullptr;
  return first_word(
      p + 64, teddy_step512<kFingerprint, kAscii>(second, _mm512_load_si512(tail + 128), tables),
      wanted(left - 64));
}
#endif

bool WordSieve::supported(Way way) {
#if defined(__x86_64__)
  static const bool avx512 =
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi");
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return way == Way::Avx512 ? avx512 : way == Way::Avx2 ? avx2 : true;
#else
  return way == Way::Fastest || way == Way::Memmem;
#endif
}

const char* WordSieve::find(const char* p, const char* end, Way way) const {
  if (words_.empty() || p >= end) return nullptr;
#if defined(__x86_64__)
  if (way == Way::Fastest) way = supported(Way::Avx512) ? Way::Avx512 : Way::Avx2;
  if (teddy_ && way == Way::Avx512 && supported(way))
    return ascii_ ? find_teddy512<true>(p, end) : find_teddy512<false>(p, end);
  if (teddy_ && way == Way::Avx2 && supported(way))
    return ascii_ ? find_teddy<true>(p, end) : find_teddy<false>(p, end);
#else
  (void)way;
#endif
  return find_memmem(p, end);
}

}  // namespace osh
