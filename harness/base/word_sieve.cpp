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
    const auto bucket = uint8_t(1u << (j % kBuckets));
    for (size_t k = 0; k < kFingerprint; ++k) {
      const auto byte = uint8_t(word[k]);
      ascii_ = ascii_ && byte < 0x80;
      nibbles_[k][0][byte & 15] |= bucket;
      nibbles_[k][1][byte >> 4] |= bucket;
    }
  }
}

bool WordSieve::word_at(const char* at, const char* end, uint8_t buckets) const {
  // Only the words of the candidate's buckets, and memcmp only past matching first 8 bytes:
  // nearly every candidate is a false one (the nibble tables pass mixes of two words' nibbles,
  // and "kernel code" begins like "kernel BUG at"). Trying every word with memcmp cost 4% of
  // `osharness parse` on the 30% log; a call past a matching first byte, 3%.
  const size_t left = size_t(end - at);
  uint64_t head = 0;
  if (left >= 8) std::memcpy(&head, at, 8);
  for (; buckets != 0; buckets &= uint8_t(buckets - 1)) {
    const size_t bucket = size_t(__builtin_ctz(buckets));
    for (size_t j = bucket; j < words_.size(); j += kBuckets) {
      const std::string& word = words_[j];
      if (left < word.size()) continue;
      if (left < 8) {
        if (std::memcmp(at, word.data(), word.size()) == 0) return true;
      } else if ((head & heads_[j].mask) == heads_[j].bytes &&
                 (word.size() <= 8 || std::memcmp(at + 8, word.data() + 8, word.size() - 8) == 0)) {
        return true;
      }
    }
  }
  return false;
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
  __m256i tables[kFingerprint][2];
  for (size_t k = 0; k < kFingerprint; ++k)
    for (size_t h = 0; h < 2; ++h)
      tables[k][h] = _mm256_broadcastsi128_si256(
          _mm_load_si128(reinterpret_cast<const __m128i*>(nibbles_[k][h].data())));
  // The buckets are stored only for a step with candidates, which nearly every step has not.
  alignas(32) uint8_t per_byte[32];
  const auto first_word = [&](const char* at, __m256i buckets, uint32_t candidates)
      __attribute__((target("avx2"))) {
    const char* found = nullptr;
    _mm256_store_si256(reinterpret_cast<__m256i*>(per_byte), buckets);
    for (; candidates != 0 && found == nullptr; candidates &= candidates - 1) {
      const int i = __builtin_ctz(candidates);
      if (word_at(at + i, end, per_byte[i])) found = at + i;
    }
    return found;
  };
  constexpr size_t kStepBytes = 32 + kFingerprint - 1;
  // Two steps a turn of the loop: one test of both steps' places, and half the loop's own
  // instructions.
  for (; size_t(end - p) >= 32 + kStepBytes; p += 64) {
    const __m256i first = teddy_step<kFingerprint, kAscii>(p, tables),
                  second = teddy_step<kFingerprint, kAscii>(p + 32, tables);
    if (places(_mm256_or_si256(first, second)) == 0) continue;
    if (const uint32_t candidates = places(first); candidates != 0) {
      if (const char* word = first_word(p, first, candidates)) return word;
    }
    if (const char* word = first_word(p + 32, second, places(second))) return word;
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
#endif

const char* WordSieve::find(const char* p, const char* end, bool vectorised) const {
  if (words_.empty() || p >= end) return nullptr;
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (vectorised && avx2 && teddy_)
    return ascii_ ? find_teddy<true>(p, end) : find_teddy<false>(p, end);
#else
  (void)vectorised;
#endif
  return find_memmem(p, end);
}

}  // namespace osh
