#include "escape.h"

#include <cstdint>

namespace osh {
namespace {

// Length of the valid UTF-8 sequence starting at s[i] (2-4), or 0 if it is not valid,
// overlong, a surrogate, beyond U+10FFFF, or a C1 control (which can drive terminals).
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const size_t left = s.size() - i;
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  const auto cont = [&](size_t k) { return k < left && (b(k) & 0xC0) == 0x80; };
  const uint8_t c = b(0);
  if (c >= 0xC2 && c <= 0xDF) return cont(1) && !(c == 0xC2 && b(1) < 0xA0) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;
    if (c == 0xED && b(1) > 0x9F) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;
    if (c == 0xF4 && b(1) > 0x8F) return 0;
    return 4;
  }
  return 0;
}

std::string escape_impl(std::string_view s, size_t max_bytes, bool markup) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0;
  while (i < s.size() && i < max_bytes) {
    const uint8_t c = static_cast<uint8_t>(s[i]);
    if (c >= 0x80) {
      if (const size_t n = utf8_sequence_length(s, i)) {
        out.append(s, i, n);
        i += n;
        continue;
      }
    }
    ++i;
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else if (markup && c == '&') {
      out += "&amp;";
    } else if (markup && c == '<') {
      out += "&lt;";
    } else if (markup && c == '>') {
      out += "&gt;";
    } else if (markup && c == '"') {
      out += "&quot;";
    } else if (markup && c == '\'') {
      out += "&#39;";
    } else {
      out += static_cast<char>(c);
    }
  }
  if (i < s.size()) out += "\xE2\x80\xA6";  // "…"
  return out;
}

}  // namespace

std::string escape_text(std::string_view bytes) { return escape_impl(bytes, bytes.size(), false); }

std::string escape_markup(std::string_view bytes) { return escape_impl(bytes, bytes.size(), true); }

std::string quoted_text(std::string_view bytes) { return "\"" + escape_text(bytes) + "\""; }

std::string escape_text_truncated(std::string_view bytes, size_t max_bytes) {
  return escape_impl(bytes, max_bytes, false);
}

}  // namespace osh
