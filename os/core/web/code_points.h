#pragma once
// Code points of byte strings, as the WHATWG standards read them: UTF-8 decoded with U+FFFD for
// every invalid sequence (the Encoding Standard's "UTF-8 decode", maximal subparts), and the
// character classes the URL, MIME type and Fetch standards name.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos::web {

inline constexpr uint32_t kReplacementCharacter = 0xFFFD;
inline constexpr uint32_t kEndOfInput = 0xFFFFFFFF;

// The code point at `text[pos]`, and `pos` moved past it. An invalid or truncated sequence is
// U+FFFD and consumes only its maximal subpart, so the next byte is read again. At the end of
// `text`: kEndOfInput, `pos` unchanged.
uint32_t decode_utf8(StringView text, size_t& pos);
// Writes `code_point` as UTF-8 to `out` (4 bytes of room) and returns the byte count; a
// surrogate or out-of-range value is written as U+FFFD.
size_t encode_utf8(uint32_t code_point, char* out);

constexpr bool is_ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }
constexpr bool is_ascii_upper(uint32_t c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_ascii_lower(uint32_t c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_ascii_alpha(uint32_t c) { return is_ascii_upper(c) || is_ascii_lower(c); }
constexpr bool is_ascii_alphanumeric(uint32_t c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
constexpr bool is_ascii_hex_digit(uint32_t c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr uint32_t ascii_lower(uint32_t c) { return is_ascii_upper(c) ? c + ('a' - 'A') : c; }
constexpr int hex_value(uint32_t c) {
  if (is_ascii_digit(c)) return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}
// Infra: C0 control (U+0000 to U+001F) or space; ASCII tab or newline; ASCII whitespace.
constexpr bool is_c0_control_or_space(uint32_t c) { return c <= 0x20; }
constexpr bool is_ascii_tab_or_newline(uint32_t c) { return c == '\t' || c == '\n' || c == '\r'; }
constexpr bool is_ascii_whitespace(uint32_t c) {
  return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}
// Fetch: HTTP whitespace (tab, LF, CR, space) and HTTP tab or space.
constexpr bool is_http_whitespace(uint32_t c) {
  return c == '\t' || c == '\n' || c == '\r' || c == ' ';
}
constexpr bool is_http_tab_or_space(uint32_t c) { return c == '\t' || c == ' '; }

// ASCII case-insensitive equality of two byte strings.
bool equals_ignoring_ascii_case(StringView a, StringView b);
bool starts_with_ignoring_ascii_case(StringView text, StringView prefix);

}  // namespace rayos::web
