#include "os/core/wpt/message_escape.h"

namespace rayos::wpt {

void escape_message(StringView message, web::TextSink& out, size_t max_bytes) {
  constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : message) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = c > 0x20 && c < 0x7F && c != ':' && c != '#' && c != '%';
    if (out.size() + (plain ? 1 : 3) > max_bytes) return;
    if (plain) {
      out.push(ch);
    } else {
      out.push('%');
      out.push(kHex[c >> 4]);
      out.push(kHex[c & 0xF]);
    }
  }
}

}  // namespace rayos::wpt
