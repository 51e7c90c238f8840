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
    if (word.size() < kFingerprint) {
      teddy_ = false;
      continue;
    }
    const auto bucket = uint8_t(1u << (j % kBuckets));
    for (size_t k = 0; k < kFingerprint; ++k) {
      const auto byte = uint8_t(word[k]);
      nibbles_[k][0][byte & 15] |= bucket;
      nibbles_[k][1][byte >> 4] |= bucket;
    }
  }
}

bool WordSieve::word_at(const char* at, const char* end, uint8_t buckets) const {
  // Only the words of the candidate's buckets, and memcmp only past a matching first byte:
  // nearly every candidate is a false one (the nibble tables pass mixes of two words' nibbles),
  // and trying every word with memcmp cost 4% of `osharness parse` on the 30% log.
  for (; buckets != 0; buckets &= uint8_t(buckets - 1)) {
    const size_t bucket = size_t(__builtin_ctz(buckets));
    for (size_t j = bucket; j < words_.size(); j += kBuckets) {
      const std::string& word = words_[j];
      if (at[0] == word[0] && size_t(end - at) >= word.size() &&
          std::memcmp(at, word.data(), word.size()) == 0)
        return true;
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
// 32 places from `bytes` (it reads 32 + kFingerprint - 1 bytes), into per_byte; returns the
// places with a bucket.
template <size_t kFingerprint>
__attribute__((target("avx2"), always_inline)) inline uint32_t teddy_step(
    const char* bytes, const __m256i (&tables)[kFingerprint][2], uint8_t* per_byte) {
  const __m256i low = _mm256_set1_epi8(0x0f);
  __m256i buckets = _mm256_set1_epi8(-1);
  // Unrolled: the loop over k cost 1.85 instructions a byte of the log, unrolled 1.29
  // (callgrind, osharness parse of a 10 MB 30%-marker log).
#pragma GCC unroll 3
  for (size_t k = 0; k < kFingerprint; ++k) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + k));
    const __m256i lo = _mm256_shuffle_epi8(tables[k][0], _mm256_and_si256(v, low));
    const __m256i hi =
        _mm256_shuffle_epi8(tables[k][1], _mm256_and_si256(_mm256_srli_epi16(v, 4), low));
    buckets = _mm256_and_si256(buckets, _mm256_and_si256(lo, hi));
  }
  _mm256_store_si256(reinterpret_cast<__m256i*>(per_byte), buckets);
  return ~uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(buckets, _mm256_setzero_si256())));
}

}  // namespace

__attribute__((target("avx2"))) const char* WordSieve::find_teddy(const char* p,
                                                                  const char* end) const {
  __m256i tables[kFingerprint][2];
  for (size_t k = 0; k < kFingerprint; ++k)
    for (size_t h = 0; h < 2; ++h)
      tables[k][h] = _mm256_broadcastsi128_si256(
          _mm_load_si128(reinterpret_cast<const __m128i*>(nibbles_[k][h].data())));
  alignas(32) uint8_t per_byte[32];
  const auto first_word = [&](const char* at, uint32_t candidates) -> const char* {
    for (; candidates != 0; candidates &= candidates - 1) {
      const int i = __builtin_ctz(candidates);
      if (word_at(at + i, end, per_byte[i])) return at + i;
    }
    return nullptr;
  };
  constexpr size_t kStepBytes = 32 + kFingerprint - 1;
  for (; size_t(end - p) >= kStepBytes; p += 32) {
    if (const uint32_t candidates = teddy_step(p, tables, per_byte); candidates != 0) {
      if (const char* word = first_word(p, candidates)) return word;
    }
  }
  if (p >= end) return nullptr;
  // The last places in one more step, over a copy padded with zeros: the crash scanner sieves
  // every console line, and taking a line's last places byte by byte cost more than its steps.
  // A word that starts in the last kFingerprint - 1 bytes ends past `end`: 32 places suffice.
  alignas(32) char tail[kStepBytes] = {};
  std::memcpy(tail, p, size_t(end - p));
  const uint32_t places = end - p >= 32 ? ~uint32_t(0) : uint32_t((uint64_t(1) << (end - p)) - 1);
  return first_word(p, places & teddy_step(tail, tables, per_byte));
}
#endif

const char* WordSieve::find(const char* p, const char* end, bool vectorised) const {
  if (words_.empty() || p >= end) return nullptr;
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (vectorised && avx2 && teddy_) return find_teddy(p, end);
#else
  (void)vectorised;
#endif
  return find_memmem(p, end);
}

}  // namespace osh
