#pragma once
// Splits a buffer into lines and, in the same pass, finds where the marker key ("<prefix>_")
// might start in each: 64 bytes at a time, with AVX2 when the CPU has it (chosen at run time)
// and SSE2 (part of every x86-64 CPU) otherwise; one bit scan per line instead of a memchr call
// per line and a substring search per marker. Elsewhere it falls back to memchr and find.
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace osh::marker {
namespace split_detail {

constexpr size_t npos = std::string_view::npos;

// Bit i of `lfs`: block[i] is LF. Bit i of `cands`: block[i] is the key's first byte and
// block[i + key.size() - 1] its last (the key has at least 2 bytes), i.e. a place where the key
// may start. First and last, not the first two: "RAYOS kernel 0.8" in a banner is no candidate
// for "RAYOS_" (it had cost a parse of every such line).
struct BlockMasks {
  uint64_t lfs;
  uint64_t cands;
};

// The lines of one 64-byte block, given its masks; `line` and `candidate` carry over blocks.
// kEveryLine false: on_line only for lines where the key may start; `lines` counts them all.
template <bool kEveryLine, typename OnLine>
__attribute__((always_inline)) inline void emit_lines(const char* block, BlockMasks m,
                                                      const char*& line, const char*& candidate,
                                                      uint64_t& lines, OnLine& on_line) {
  if (!kEveryLine && candidate == nullptr && m.cands == 0) {  // most blocks of noise
    if (m.lfs != 0) {
      lines += uint64_t(__builtin_popcountll(m.lfs));
      line = block + 64 - __builtin_clzll(m.lfs);
    }
    return;
  }
  while (m.lfs != 0) {
    const int i = __builtin_ctzll(m.lfs);
    const uint64_t before = m.cands & ((uint64_t(1) << i) - 1);
    if (candidate == nullptr && before != 0) candidate = block + __builtin_ctzll(before);
    ++lines;
    if (kEveryLine || candidate != nullptr) {
      on_line(line, block + i, candidate ? size_t(candidate - line) : npos);
    }
    line = block + i + 1;
    candidate = nullptr;
    m.cands &= ~before;
    m.lfs &= m.lfs - 1;
  }
  if (candidate == nullptr && m.cands != 0) candidate = block + __builtin_ctzll(m.cands);
}

// The bytes after the last whole block, with memchr; returns the start of the unterminated rest.
template <bool kEveryLine, typename OnLine>
const char* split_tail(const char* line, const char* p, const char* end, std::string_view key,
                       uint64_t& lines, OnLine& on_line) {
  for (;;) {
    const auto* lf = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
    if (lf == nullptr) return line;
    const size_t hint = std::string_view(line, size_t(lf - line)).find(key);
    ++lines;
    if (kEveryLine || hint != npos) on_line(line, lf, hint);
    line = p = lf + 1;
  }
}

#if defined(__x86_64__)
template <bool kEveryLine, typename OnLine>
const char* split_sse2(const char* p, const char* end, std::string_view key, uint64_t& lines,
                       OnLine& on_line) {
  const char* line = p;
  const char* candidate = nullptr;
  const size_t last = key.size() - 1;
  const __m128i lf = _mm_set1_epi8('\n'), k0 = _mm_set1_epi8(key[0]), kl = _mm_set1_epi8(key[last]);
  struct Block {  // 64 bytes in four registers
    __m128i v[4];
  };
  const auto load = [](const char* at) {
    Block b;
    for (int i = 0; i < 4; ++i) b.v[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at) + i);
    return b;
  };
  // One bit for each of the 64 bytes that equals `byte`.
  const auto mask = [](const Block& b, __m128i byte) {
    uint64_t m = 0;
    for (int i = 0; i < 4; ++i)
      m |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(b.v[i], byte)))) << (16 * i);
    return m;
  };
  for (; size_t(end - p) >= 64 + last; p += 64) {
    const Block block = load(p);
    emit_lines<kEveryLine>(p, {mask(block, lf), mask(block, k0) & mask(load(p + last), kl)}, line,
                           candidate, lines, on_line);
  }
  return split_tail<kEveryLine>(line, p, end, key, lines, on_line);
}

__attribute__((target("avx2"), always_inline)) inline uint64_t avx2_mask(__m256i a, __m256i b,
                                                                         __m256i byte) {
  return uint64_t(uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, byte)))) |
         uint64_t(uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, byte)))) << 32;
}

// popcnt too (every CPU with AVX2 has it): without it the count of a noise block's lines is a
// libgcc call (2% of `osharness parse` on a log with 30% markers).
template <bool kEveryLine, typename OnLine>
__attribute__((target("avx2,popcnt"))) const char* split_avx2(const char* p, const char* end,
                                                              std::string_view key, uint64_t& lines,
                                                              OnLine& on_line) {
  const char* line = p;
  const char* candidate = nullptr;
  const size_t last = key.size() - 1;
  const __m256i lf = _mm256_set1_epi8('\n'), k0 = _mm256_set1_epi8(key[0]),
                kl = _mm256_set1_epi8(key[last]);
  for (; size_t(end - p) >= 64 + last; p += 64) {
    const auto* v = reinterpret_cast<const __m256i*>(p);
    const auto* w = reinterpret_cast<const __m256i*>(p + last);
    const __m256i a = _mm256_loadu_si256(v), b = _mm256_loadu_si256(v + 1);
    const uint64_t ml = avx2_mask(_mm256_loadu_si256(w), _mm256_loadu_si256(w + 1), kl);
    emit_lines<kEveryLine>(p, {avx2_mask(a, b, lf), avx2_mask(a, b, k0) & ml}, line, candidate,
                           lines, on_line);
  }
  return split_tail<kEveryLine>(line, p, end, key, lines, on_line);
}
#endif

template <bool kEveryLine, typename OnLine>
const char* split(const char* begin, const char* end, std::string_view key, uint64_t& lines,
                  OnLine& on_line, bool vectorised) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (vectorised) {
    return avx2 ? split_avx2<kEveryLine>(begin, end, key, lines, on_line)
                : split_sse2<kEveryLine>(begin, end, key, lines, on_line);
  }
#else
  (void)vectorised;
#endif
  return split_tail<kEveryLine>(begin, begin, end, key, lines, on_line);
}

}  // namespace split_detail

// Calls on_line(begin, lf, key_hint) for every LF-terminated line in [begin, end), in order,
// and returns the start of the unterminated rest. key_hint is an offset into the line: no
// occurrence of `key` (at least 2 bytes) starts before it; npos when the line holds none.
// `vectorised` false: memchr and find only (tests compare the ways).
template <typename OnLine>
const char* split_lines(const char* begin, const char* end, std::string_view key, OnLine&& on_line,
                        bool vectorised = true) {
  uint64_t lines = 0;
  return split_detail::split<true>(begin, end, key, lines, on_line, vectorised);
}

// The same, but on_line is called only for the lines that may hold `key` (key_hint != npos);
// `lines` grows by the number of all LF-terminated lines. Noise is counted a block at a time.
template <typename OnLine>
const char* split_key_lines(const char* begin, const char* end, std::string_view key,
                            uint64_t& lines, OnLine&& on_line, bool vectorised = true) {
  return split_detail::split<false>(begin, end, key, lines, on_line, vectorised);
}

}  // namespace osh::marker
