#include "harness/marker/field_value.h"

#include <charconv>

namespace osh::marker {

// -?DIGITS(.DIGITS)? : no exponent, no inf/nan, no leading '+' or '.'.
NumberError parse_float(std::string_view s, double& value) {
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  const auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && grammar::is_digit(s[i])) ++i;
    return i > start;
  };
  if (!digits()) return NumberError::Format;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return NumberError::Format;
  }
  if (i != s.size()) return NumberError::Format;
  const auto [end, ec] =
      std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::fixed);
  if (ec != std::errc() || end != s.data() + s.size()) return NumberError::Range;
  return NumberError::None;
}

std::string expected_description(const FieldSpec& spec, std::string_view text) {
  FieldValue scratch;
  const bool range = check_field(text, spec, scratch) == NumberError::Range;
  switch (spec.type) {
    case FieldType::U32:
      return range ? "u32 (at most 4294967295)" : "u32 (decimal digits, no sign)";
    case FieldType::U64:
      return range ? "u64 (at most 18446744073709551615)" : "u64 (decimal digits, no sign)";
    case FieldType::I64:
      return range ? "i64 (-9223372036854775808 to 9223372036854775807)"
                   : "i64 (decimal digits with an optional '-')";
    case FieldType::F64:
      return range ? "f64 (a finite double)" : "f64 (like -1.25 or 3, no exponent)";
    case FieldType::Enum: {
      std::string values;
      for (const auto& v : spec.enum_values) values += (values.empty() ? "" : "|") + v;
      return "one of " + values;
    }
    case FieldType::Id:
      return "id (1 to 64 of A-Z a-z 0-9 _ . -)";
    case FieldType::Word:
      break;
  }
  return "word";
}

}  // namespace osh::marker
