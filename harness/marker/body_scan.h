#pragma once
// Byte classes of a marker body (CATEGORY:EVENT:field...) for the parser: where a run of name
// characters ends, where the next ':' is, where the first byte that may not appear in a field
// is. A body of up to 64 bytes (nearly all) is classified once into bit masks with SSE2, so
// the parser does no byte loops and mispredicts no loop exits; longer bodies are scanned byte
// by byte. The grammar itself lives in the parser, written once against this interface.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "harness/marker/grammar.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace osh::marker {

class BodyScan {
 public:
  // `vectorised` false: always byte by byte (tests compare the two).
  explicit BodyScan(std::string_view body, bool vectorised = true) : body_(body) {
#if defined(__SSE2__)
    if (body.size() > 64 || !vectorised) return;
    masked_ = true;
    alignas(16) char bytes[64] = {};
    std::memcpy(bytes, body.data(), body.size());
    const auto eq = [](__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    // Signed compares: bytes >= 0x80 are negative, below every printable character.
    const auto in = [](__m128i v, char lo, char hi) {
      return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(char(lo - 1))),
                           _mm_cmplt_epi8(v, _mm_set1_epi8(char(hi + 1))));
    };
    const size_t chunks = (body.size() + 15) / 16;  // the sentinel below covers the rest
    for (size_t i = 0; i < chunks; ++i) {
      const __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(bytes + 16 * i));
      const __m128i name = _mm_or_si128(_mm_or_si128(in(v, 'A', 'Z'), in(v, '0', '9')), eq(v, '_'));
      const __m128i field_or_colon = _mm_andnot_si128(eq(v, '#'), in(v, '!', '~'));
      const size_t shift = 16 * i;
      not_name_ |= uint64_t(uint16_t(~_mm_movemask_epi8(name))) << shift;
      colon_ |= uint64_t(uint16_t(_mm_movemask_epi8(eq(v, ':')))) << shift;
      not_field_ |= uint64_t(uint16_t(~_mm_movemask_epi8(field_or_colon))) << shift;
    }
    // Past the end every class "stops", so a search that finds nothing answers size().
    const uint64_t beyond = body.size() == 64 ? 0 : ~uint64_t(0) << body.size();
    not_name_ |= beyond;
    colon_ |= beyond;
    not_field_ |= beyond;
#else
    (void)vectorised;
#endif
  }

  // First index >= from that is not a name character (A-Z 0-9 _), or size().
  size_t name_end(size_t from) const {
    from = std::min(from, body_.size());
    if (masked_) return first(not_name_, from);
    while (from < body_.size() && grammar::is_name_char(body_[from])) ++from;
    return from;
  }
  // First ':' at or after from, or size().
  size_t colon(size_t from) const {
    if (masked_) return first(colon_, from);
    const void* found =
        from < body_.size() ? std::memchr(body_.data() + from, ':', body_.size() - from) : nullptr;
    return found ? static_cast<const char*>(found) - body_.data() : body_.size();
  }
  // First byte at or after from that is neither a field character nor ':', or size().
  size_t bad_field_byte(size_t from) const {
    from = std::min(from, body_.size());
    if (masked_) return first(not_field_, from);
    while (from < body_.size() && (grammar::is_field_char(body_[from]) || body_[from] == ':')) {
      ++from;
    }
    return from;
  }

 private:
  size_t first(uint64_t mask, size_t from) const {
    const uint64_t m = from >= 64 ? 0 : mask & (~uint64_t(0) << from);
    return m == 0 ? body_.size() : std::min(body_.size(), size_t(__builtin_ctzll(m)));
  }

  std::string_view body_;
  bool masked_ = false;
  uint64_t not_name_ = 0, colon_ = 0, not_field_ = 0;
};

}  // namespace osh::marker
