#include "reports/escape_once.h"

#include <algorithm>

#include "harness/base/escape.h"

namespace osh::reports {
namespace {

// `escape` applied to the text between backslashes. A backslash (0x5C) is never part of a
// multi-byte UTF-8 character, so no valid character is split.
template <typename Escape>
std::string between_backslashes(std::string_view text, Escape escape) {
  std::string out;
  out.reserve(text.size());
  for (size_t start = 0;;) {
    const size_t bs = text.find('\\', start);
    out += escape(text.substr(start, bs == std::string_view::npos ? bs : bs - start));
    if (bs == std::string_view::npos) return out;
    out += '\\';
    start = bs + 1;
  }
}

}  // namespace

std::string escape_text_once(std::string_view text) {
  return between_backslashes(text, [](std::string_view s) { return escape_text(s); });
}

std::string escape_markup_once(std::string_view text) {
  return between_backslashes(text, [](std::string_view s) { return escape_markup(s); });
}

size_t markup_char_length(std::string_view markup, size_t i) {
  const auto c = static_cast<unsigned char>(markup[i]);
  if (c == '&') {
    const size_t semicolon = markup.find(';', i);
    return semicolon == std::string_view::npos ? 1 : semicolon - i + 1;
  }
  const size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return std::min(n, markup.size() - i);
}

}  // namespace osh::reports
