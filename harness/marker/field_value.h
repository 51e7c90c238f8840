#pragma once
// Typed field values: the schema's field types (u32 u64 i64 f64 word enum id) checked and
// converted without allocating. Inline: every field of every marker comes through here.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "harness/marker/grammar.h"
#include "harness/marker/marker_event.h"
#include "harness/marker/schema.h"

namespace osh::marker {

enum class NumberError : uint8_t { None, Format, Range };

// The first `len` (1 to 8) bytes of `w`, known to be ASCII digits, as a number (the first in
// memory is the lowest byte and the most significant digit).
inline uint64_t digit_word_value(uint64_t w, size_t len) {
  // The digits to the top bytes, below them zeros that read as leading zeros; then pairs,
  // quads and all eight are combined by multiplication.
  w = (w << (8 * (8 - len))) & 0x0F0F0F0F0F0F0F0F;
  w = (w * 2561) >> 8;
  w = ((w & 0x00FF00FF00FF00FF) * 6553601) >> 16;
  return ((w & 0x0000FFFF0000FFFF) * 42949672960001) >> 32;
}

// Nonzero in the high nibble of each byte of `w` that is no ASCII digit. A digit is 0x3_ and
// stays 0x3_ when 6 is added; a byte carries into the next one (later in memory) only when it
// is >= 0xFA, and is then no digit itself.
inline uint64_t non_digit_nibbles(uint64_t w) {
  constexpr uint64_t kHigh = 0xF0F0F0F0F0F0F0F0, kZeros = 0x3030303030303030;
  return ((w & kHigh) ^ kZeros) | (((w + 0x0606060606060606) & kHigh) ^ kZeros);
}

// The `len` (1 to 8) ASCII digits at `p` as a number, checked and converted as one word: no
// branch per digit, so no mispredicted loop exit. Reads the 8 bytes at `p` whatever `len` is.
inline bool digit_word(const char* p, size_t len, uint64_t& value) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  const uint64_t mine = ~uint64_t(0) >> (8 * (8 - len));  // the low bytes, first in memory
  if (non_digit_nibbles(w) & mine) return false;
  value = digit_word_value(w, len);
  return true;
}

// Decimal digits only (no sign), at most `max`. kPadded: the line goes on for at least 8 bytes
// after `s`, so up to 8 digits at a time are taken as one word (digit_word).
template <bool kPadded = false>
inline NumberError parse_decimal(std::string_view s, uint64_t max, uint64_t& value) {
  if (s.empty()) return NumberError::Format;
  uint64_t v = 0;
  if (kPadded && s.size() <= 19) {
    // The first 1 to 8 digits, then whole words of 8: at most 8 + 8 + 3 digits cannot overflow.
    size_t taken = (s.size() - 1) % 8 + 1;
    if (!digit_word(s.data(), taken, v)) return NumberError::Format;
    for (uint64_t word = 0; taken < s.size(); taken += 8) {
      if (!digit_word(s.data() + taken, 8, word)) return NumberError::Format;
      v = v * 100000000 + word;
    }
  } else if (s.size() <= 19) {  // cannot overflow 64 bits: no check per digit
    uint32_t bad = 0;
    for (const char c : s) {
      const uint32_t d = uint32_t(uint8_t(c)) - uint32_t('0');
      bad |= uint32_t(d > 9);
      v = v * 10 + d;
    }
    if (bad != 0) return NumberError::Format;
  } else {
    if (!std::all_of(s.begin(), s.end(), grammar::is_digit)) return NumberError::Format;
    for (const char c : s) {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, uint64_t(c - '0'), &v)) {
        return NumberError::Range;
      }
    }
  }
  if (v > max) return NumberError::Range;
  value = v;
  return NumberError::None;
}

NumberError parse_float(std::string_view s, double& value);

// Checks `text` against `spec`'s type and fills `out` (kind, value; out.text = text).
// `text` must already consist of field characters. kPadded as for parse_decimal. Always inline,
// like parse_field: as a call it cost `osharness parse` 2% of its CPU time (docs/performance.md).
template <bool kPadded = false>
__attribute__((always_inline)) inline NumberError check_field(std::string_view text,
                                                              const FieldSpec& spec,
                                                              FieldValue& out) {
  out.text = text;
  switch (spec.type) {
    // One path for u32 and u64, the commonest types: one target less for the indirect jump,
    // whose mispredictions cost most of this function where markers of all kinds alternate.
    case FieldType::U32:
    case FieldType::U64:
      out.kind = FieldValue::Kind::Unsigned;
      return parse_decimal<kPadded>(text,
                                    spec.type == FieldType::U32
                                        ? std::numeric_limits<uint32_t>::max()
                                        : std::numeric_limits<uint64_t>::max(),
                                    out.u);
    case FieldType::I64: {
      out.kind = FieldValue::Kind::Signed;
      const bool negative = !text.empty() && text[0] == '-';
      constexpr uint64_t kMax = uint64_t(std::numeric_limits<int64_t>::max());
      uint64_t magnitude = 0;
      const NumberError e = parse_decimal<kPadded>(text.substr(negative ? 1 : 0),
                                                   negative ? kMax + 1 : kMax, magnitude);
      out.i = negative ? int64_t(0 - magnitude) : int64_t(magnitude);
      return e;
    }
    case FieldType::F64:
      out.kind = FieldValue::Kind::Float;
      return parse_float(text, out.f);
    case FieldType::Enum:
      out.kind = FieldValue::Kind::Text;
      return std::find(spec.enum_values.begin(), spec.enum_values.end(), text) !=
                     spec.enum_values.end()
                 ? NumberError::None
                 : NumberError::Format;
    case FieldType::Id:
      out.kind = FieldValue::Kind::Text;
      // A lambda, not the function's address: the call is inlined.
      return !text.empty() && text.size() <= grammar::kMaxIdLength &&
                     std::all_of(text.begin(), text.end(),
                                 [](char c) { return grammar::is_id_char(c); })
                 ? NumberError::None
                 : NumberError::Format;
    case FieldType::Word:
      break;
  }
  out.kind = FieldValue::Kind::Text;
  return NumberError::None;
}

// Always inline: GCC made it a call per field of the parser's fast way, which cost `osharness
// parse` 5% of its time on the 30% log and 9% on the 75% log (docs/performance.md).
template <bool kPadded = false>
__attribute__((always_inline)) inline bool parse_field(std::string_view text, const FieldSpec& spec,
                                                       FieldValue& out) {
  // Padded, a u32 or u64 of 1 to 8 digits, the commonest field, is typed here, as check_field
  // types it (8 digits fit a u32), before check_field's switch.
  if constexpr (kPadded) {
    if ((spec.type == FieldType::U32 || spec.type == FieldType::U64) && text.size() - 1 < 8) {
      out.text = text;
      out.kind = FieldValue::Kind::Unsigned;
      return digit_word(text.data(), text.size(), out.u);
    }
  }
  return check_field<kPadded>(text, spec, out) == NumberError::None;
}

// What `spec` expects, precise for `text` that parse_field rejected: "u32 (at most 4294967295)",
// "one of pass|fail".
std::string expected_description(const FieldSpec& spec, std::string_view text);

}  // namespace osh::marker
