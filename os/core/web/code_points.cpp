#include "os/core/web/code_points.h"

#include "os/core/web/text.h"

namespace rayos::web {

uint32_t decode_utf8(StringView text, size_t& pos) {
  if (pos >= text.size()) return kEndOfInput;
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  size_t needed;
  uint32_t code_point;
  uint8_t lower = 0x80, upper = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    if (lead == 0xE0) lower = 0xA0;
    if (lead == 0xED) upper = 0x9F;
    needed = 2;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    if (lead == 0xF0) lower = 0x90;
    if (lead == 0xF4) upper = 0x8F;
    needed = 3;
    code_point = lead & 0x07;
  } else {
    ++pos;
    return kReplacementCharacter;
  }
  size_t at = pos + 1;
  for (size_t seen = 0; seen < needed; ++seen, ++at) {
    // A byte outside the allowed range ends the sequence and is read again.
    if (at >= text.size() || byte(at) < lower || byte(at) > upper) {
      pos = at;
      return kReplacementCharacter;
    }
    lower = 0x80;
    upper = 0xBF;
    code_point = (code_point << 6) | (byte(at) & 0x3F);
  }
  pos = at;
  return code_point;
}

size_t encode_utf8(uint32_t c, char* out) {
  if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) c = kReplacementCharacter;
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

void TextSink::append_code_point(uint32_t code_point) {
  char bytes[4];
  append(StringView(bytes, encode_utf8(code_point, bytes)));
}

bool equals_ignoring_ascii_case(StringView a, StringView b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(static_cast<uint8_t>(a[i])) != ascii_lower(static_cast<uint8_t>(b[i])))
      return false;
  return true;
}

bool starts_with_ignoring_ascii_case(StringView text, StringView prefix) {
  return prefix.size() <= text.size() &&
         equals_ignoring_ascii_case(text.substr(0, prefix.size()), prefix);
}

}  // namespace rayos::web
