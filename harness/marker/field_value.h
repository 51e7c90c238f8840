#pragma once
// Typed field values: the schema's field types (u32 u64 i64 f64 word enum id) checked and
// converted without allocating. Inline: every field of every marker comes through here.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "harness/marker/grammar.h"
#include "harness/marker/marker_event.h"
#include "harness/marker/schema.h"

namespace osh::marker {

enum class NumberError : uint8_t { None, Format, Range };

// Decimal digits only (no sign), at most `max`.
inline NumberError parse_decimal(std::string_view s, uint64_t max, uint64_t& value) {
  if (s.empty()) return NumberError::Format;
  uint64_t v = 0;
  if (s.size() <= 19) {  // cannot overflow 64 bits: no check per digit
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
// `text` must already consist of field characters.
inline NumberError check_field(std::string_view text, const FieldSpec& spec, FieldValue& out) {
  out.text = text;
  switch (spec.type) {
    case FieldType::U32:
      out.kind = FieldValue::Kind::Unsigned;
      return parse_decimal(text, std::numeric_limits<uint32_t>::max(), out.u);
    case FieldType::U64:
      out.kind = FieldValue::Kind::Unsigned;
      return parse_decimal(text, std::numeric_limits<uint64_t>::max(), out.u);
    case FieldType::I64: {
      out.kind = FieldValue::Kind::Signed;
      const bool negative = !text.empty() && text[0] == '-';
      constexpr uint64_t kMax = uint64_t(std::numeric_limits<int64_t>::max());
      uint64_t magnitude = 0;
      const NumberError e =
          parse_decimal(text.substr(negative ? 1 : 0), negative ? kMax + 1 : kMax, magnitude);
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
      return !text.empty() && text.size() <= grammar::kMaxIdLength &&
                     std::all_of(text.begin(), text.end(), grammar::is_id_char)
                 ? NumberError::None
                 : NumberError::Format;
    case FieldType::Word:
      break;
  }
  out.kind = FieldValue::Kind::Text;
  return NumberError::None;
}

inline bool parse_field(std::string_view text, const FieldSpec& spec, FieldValue& out) {
  return check_field(text, spec, out) == NumberError::None;
}

// What `spec` expects, precise for `text` that parse_field rejected: "u32 (at most 4294967295)",
// "one of pass|fail".
std::string expected_description(const FieldSpec& spec, std::string_view text);

}  // namespace osh::marker
