#include "os/core/web/percent_encoding.h"

#include "os/core/web/code_points.h"

namespace rayos::web {
namespace {

bool contains(StringView chars, uint32_t c) {
  for (char x : chars)
    if (static_cast<uint8_t>(x) == c) return true;
  return false;
}

void append_percent_byte(uint8_t byte, TextSink& out) {
  constexpr char kHex[] = "0123456789ABCDEF";
  out.push('%');
  out.push(kHex[byte >> 4]);
  out.push(kHex[byte & 0xF]);
}

}  // namespace

bool in_encode_set(uint32_t c, EncodeSet set) {
  if (c < 0x20 || c > 0x7E) return true;
  switch (set) {
    case EncodeSet::kC0Control:
      return false;
    case EncodeSet::kFragment:
      return contains(" \"<>`", c);
    case EncodeSet::kQuery:
      return contains(" \"#<>", c);
    case EncodeSet::kSpecialQuery:
      return contains(" \"#<>'", c);
    case EncodeSet::kPath:
      return contains(" \"#<>?^`{}", c);
    case EncodeSet::kUserinfo:
      return contains(" \"#<>?^`{}/:;=@[\\]|", c);
    case EncodeSet::kComponent:
      return contains(" \"#<>?^`{}/:;=@[\\]|$%&+,", c);
    case EncodeSet::kFormUrlencoded:
      return contains(" \"#<>?^`{}/:;=@[\\]|$%&+,!'()~", c);
  }
  return true;
}

void percent_encode(uint32_t code_point, EncodeSet set, TextSink& out) {
  char bytes[4];
  const size_t n = encode_utf8(code_point, bytes);
  if (!in_encode_set(code_point, set)) {
    out.append(StringView(bytes, n));
    return;
  }
  for (size_t i = 0; i < n; ++i) append_percent_byte(static_cast<uint8_t>(bytes[i]), out);
}

void percent_encode(StringView text, EncodeSet set, TextSink& out, bool space_as_plus) {
  size_t pos = 0;
  for (uint32_t c; (c = decode_utf8(text, pos)) != kEndOfInput;) {
    if (space_as_plus && c == ' ') {
      out.push('+');
    } else {
      percent_encode(c, set, out);
    }
  }
}

void percent_decode(StringView text, TextSink& out) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        hex_value(static_cast<uint8_t>(text[i + 1])) >= 0 &&
        hex_value(static_cast<uint8_t>(text[i + 2])) >= 0) {
      out.push(static_cast<char>(hex_value(static_cast<uint8_t>(text[i + 1])) * 16 +
                                 hex_value(static_cast<uint8_t>(text[i + 2]))));
      i += 2;
    } else {
      out.push(text[i]);
    }
  }
}

}  // namespace rayos::web
