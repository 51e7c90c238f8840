#pragma once
// Splits a buffer into lines and, in the same pass, finds where the marker key ("<prefix>_")
// might start in each: 64 bytes at a time with SSE2 (part of every x86-64 CPU), one bit scan
// per line instead of a memchr call per line and a substring search per marker. Elsewhere it
// falls back to memchr and std::string_view::find.
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace osh::marker {

// Calls on_line(begin, lf, key_hint) for every LF-terminated line in [begin, end), in order,
// and returns the start of the unterminated rest. key_hint is an offset into the line: no
// occurrence of `key` starts before it; npos when the line holds none.
template <typename OnLine>
const char* split_lines(const char* begin, const char* end, std::string_view key,
                        OnLine&& on_line) {
  constexpr size_t npos = std::string_view::npos;
  const char* line = begin;
  const char* p = begin;
#if defined(__SSE2__)
  // A candidate is a position holding key[0] followed by key[1] (the key has >= 2 bytes).
  const char* candidate = nullptr;  // first candidate in the current line
  const __m128i lf_byte = _mm_set1_epi8('\n');
  const __m128i k0 = _mm_set1_epi8(key[0]);
  const __m128i k1 = _mm_set1_epi8(key[1]);
  const auto bits = [](__m128i v, __m128i byte) {
    return uint64_t(uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, byte))));
  };
  for (; end - p >= 65; p += 64) {
    const auto* v = reinterpret_cast<const __m128i*>(p);
    const __m128i a = _mm_loadu_si128(v), b = _mm_loadu_si128(v + 1), c = _mm_loadu_si128(v + 2),
                  d = _mm_loadu_si128(v + 3);
    uint64_t lfs =
        bits(a, lf_byte) | bits(b, lf_byte) << 16 | bits(c, lf_byte) << 32 | bits(d, lf_byte) << 48;
    const uint64_t m0 = bits(a, k0) | bits(b, k0) << 16 | bits(c, k0) << 32 | bits(d, k0) << 48;
    const uint64_t m1 = bits(a, k1) | bits(b, k1) << 16 | bits(c, k1) << 32 | bits(d, k1) << 48;
    uint64_t cands = m0 & (m1 >> 1 | uint64_t(p[64] == key[1]) << 63);
    while (lfs != 0) {
      const int i = __builtin_ctzll(lfs);
      const uint64_t before = cands & ((uint64_t(1) << i) - 1);
      if (candidate == nullptr && before != 0) candidate = p + __builtin_ctzll(before);
      on_line(line, p + i, candidate ? size_t(candidate - line) : npos);
      line = p + i + 1;
      candidate = nullptr;
      cands &= ~before;
      lfs &= lfs - 1;
    }
    if (candidate == nullptr && cands != 0) candidate = p + __builtin_ctzll(cands);
  }
#endif
  for (;;) {
    const auto* lf = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
    if (lf == nullptr) return line;
    const std::string_view text(line, size_t(lf - line));
    on_line(line, lf, text.find(key));
    line = p = lf + 1;
  }
}

}  // namespace osh::marker
