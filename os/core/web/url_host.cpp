#include "os/core/web/url_host.h"

#include "os/core/bug_knobs.h"
#include "os/core/web/code_points.h"
#include "os/core/web/percent_encoding.h"

namespace rayos::web {
namespace {

constexpr uint64_t kIpv4Overflow = uint64_t{1} << 40;  // any value past 2^32 fails alike

bool is_forbidden_host_code_point(uint32_t c) {
  switch (c) {
    case 0x00:
    case '\t':
    case '\n':
    case '\r':
    case ' ':
    case '#':
    case '/':
    case ':':
    case '<':
    case '>':
    case '?':
    case '@':
    case '[':
    case '\\':
    case ']':
    case '^':
    case '|':
      return true;
    default:
      return false;
  }
}

bool is_forbidden_domain_code_point(uint32_t c) {
  return is_forbidden_host_code_point(c) || c <= 0x1F || c == '%' || c == 0x7F;
}

// The IPv4 number parser: decimal, 0x-hex or 0-octal; false on failure.
bool parse_ipv4_number(StringView text, uint64_t& value) {
  if (text.empty()) return false;
  unsigned radix = 10;
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text = text.substr(2);
    radix = 16;
  } else if (text.size() >= 2 && text[0] == '0') {
    text = text.substr(1);
    radix = 8;
  }
  value = 0;
  for (char ch : text) {
    const int digit = hex_value(static_cast<uint8_t>(ch));
    if (digit < 0 || static_cast<unsigned>(digit) >= radix) return false;
    if (value < kIpv4Overflow) value = value * radix + static_cast<unsigned>(digit);
  }
  return true;
}

UrlStatus parse_ipv4(StringView text, uint32_t& address) {
  StringView parts[4];
  size_t count = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '.') continue;
    const StringView part = text.substr(start, i - start);
    start = i + 1;
    // A trailing dot ends the address without adding an empty part.
    if (i == text.size() && part.empty() && count > 0) break;
    if (count == 4) return UrlStatus::kFailure;
    parts[count++] = part;
  }
  uint64_t numbers[4];
  for (size_t i = 0; i < count; ++i)
    if (!parse_ipv4_number(parts[i], numbers[i])) return UrlStatus::kFailure;
  for (size_t i = 0; i + 1 < count; ++i)
    if (numbers[i] > 255) return UrlStatus::kFailure;
  if (numbers[count - 1] >= (uint64_t{1} << (8 * (5 - count)))) return UrlStatus::kFailure;
  uint64_t ipv4 = numbers[count - 1];
  for (size_t i = 0; i + 1 < count; ++i) ipv4 += numbers[i] << (8 * (3 - i));
  address = static_cast<uint32_t>(ipv4);
  return UrlStatus::kOk;
}

void serialize_ipv4(uint32_t address, TextSink& out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    const unsigned n = (address >> shift) & 0xFF;
    if (n >= 100) out.push(static_cast<char>('0' + n / 100));
    if (n >= 10) out.push(static_cast<char>('0' + n / 10 % 10));
    out.push(static_cast<char>('0' + n % 10));
    if (shift) out.push('.');
  }
}

UrlStatus parse_ipv6(StringView text, uint16_t (&address)[8]) {
  for (auto& piece : address) piece = 0;
  size_t piece_index = 0;
  int compress = -1;
  size_t p = 0;
  const auto c = [&](size_t at) -> uint32_t {
    return at < text.size() ? static_cast<uint8_t>(text[at]) : kEndOfInput;
  };
  if (c(p) == ':') {
    if (c(p + 1) != ':') return UrlStatus::kFailure;
    p += 2;
    compress = static_cast<int>(++piece_index);
  }
  while (c(p) != kEndOfInput) {
    if (piece_index == 8) return UrlStatus::kFailure;
    if (c(p) == ':') {
      if (compress >= 0) return UrlStatus::kFailure;
      ++p;
      compress = static_cast<int>(++piece_index);
      continue;
    }
    uint32_t value = 0;
    size_t length = 0;
    while (length < 4 && is_ascii_hex_digit(c(p))) {
      value = value * 16 + static_cast<uint32_t>(hex_value(c(p)));
      ++p;
      ++length;
    }
    if (c(p) == '.') {
      if (length == 0) return UrlStatus::kFailure;
      p -= length;
      if (piece_index > 6) return UrlStatus::kFailure;
      int numbers_seen = 0;
      while (c(p) != kEndOfInput) {
        int ipv4_piece = -1;
        if (numbers_seen > 0) {
          if (c(p) != '.' || numbers_seen >= 4) return UrlStatus::kFailure;
          ++p;
        }
        if (!is_ascii_digit(c(p))) return UrlStatus::kFailure;
        while (is_ascii_digit(c(p))) {
          const int number = static_cast<int>(c(p) - '0');
          if (ipv4_piece < 0) {
            ipv4_piece = number;
          } else if (ipv4_piece == 0) {
            return UrlStatus::kFailure;
          } else {
            ipv4_piece = ipv4_piece * 10 + number;
          }
          if (ipv4_piece > 255) return UrlStatus::kFailure;
          ++p;
        }
        address[piece_index] = static_cast<uint16_t>(address[piece_index] * 0x100 + ipv4_piece);
        ++numbers_seen;
        if (numbers_seen == 2 || numbers_seen == 4) ++piece_index;
      }
      if (numbers_seen != 4) return UrlStatus::kFailure;
      break;
    }
    if (c(p) == ':') {
      ++p;
      if (c(p) == kEndOfInput) return UrlStatus::kFailure;
    } else if (c(p) != kEndOfInput) {
      return UrlStatus::kFailure;
    }
    address[piece_index++] = static_cast<uint16_t>(value);
  }
  if (compress >= 0) {
    size_t swaps = piece_index - static_cast<size_t>(compress);
    piece_index = 7;
    while (piece_index != 0 && swaps > 0) {
      const size_t other = static_cast<size_t>(compress) + swaps - 1;
      const uint16_t t = address[piece_index];
      address[piece_index] = address[other];
      address[other] = t;
      --piece_index;
      --swaps;
    }
  } else if (piece_index != 8) {
    return UrlStatus::kFailure;
  }
  return UrlStatus::kOk;
}

void serialize_ipv6(const uint16_t (&address)[8], TextSink& out) {
  // The first longest run of two or more zero pieces is compressed.
  int compress = -1;
  size_t best = 1;
  for (size_t i = 0; i < 8;) {
    size_t run = 0;
    while (i + run < 8 && address[i + run] == 0) ++run;
    if (run > best) {
      best = run;
      compress = static_cast<int>(i);
    }
    i += run ? run : 1;
  }
  out.push('[');
  bool ignore0 = false;
  for (size_t i = 0; i < 8; ++i) {
    if (ignore0 && address[i] == 0) continue;
    ignore0 = false;
    if (compress == static_cast<int>(i)) {
      out.append(i == 0 ? "::" : ":");
      ignore0 = true;
      continue;
    }
    constexpr char kHex[] = "0123456789abcdef";
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned digit = (address[i] >> shift) & 0xF;
      if (digit || started || shift == 0) {
        out.push(kHex[digit]);
        started = true;
      }
    }
    if (i != 7) out.push(':');
  }
  out.push(']');
}

UrlStatus parse_opaque_host(StringView input, TextSink& out, HostKind& kind) {
  for (char ch : input)
    if (is_forbidden_host_code_point(static_cast<uint8_t>(ch))) return UrlStatus::kFailure;
  percent_encode(input, EncodeSet::kC0Control, out);
  kind = out.empty() ? HostKind::kEmpty : HostKind::kOpaque;
  return out.overflowed() ? UrlStatus::kTooLong : UrlStatus::kOk;
}

// Code points UTS #46 disallows wherever they appear (IdnaMappingTable: the noncharacters, and
// U+FFFC..U+FFFD; ICU 72's UTS #46 agrees): a domain holding one fails whatever the rest is.
bool is_disallowed_by_uts46(uint32_t c) {
  return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE || c == 0xFFFC || c == 0xFFFD;
}

// "Domain to ASCII" without UTS #46: an ASCII domain without "xn--" labels is only lowercased
// (the standard's own shortcut). A non-ASCII one needs IDNA, unless it holds a code point UTS #46
// disallows everywhere; an "xn--" label needs IDNA to check its Punycode.
UrlStatus parse_domain(StringView input, TextSink& out, HostKind& kind, uint32_t planted) {
  percent_decode(input, out);
  if (out.overflowed()) return UrlStatus::kTooLong;
  const StringView decoded = out.view();
  bool ascii = true;
  size_t pos = 0;
  for (uint32_t c; (c = decode_utf8(decoded, pos)) != kEndOfInput;) {
    if (is_disallowed_by_uts46(c)) return UrlStatus::kFailure;
    ascii = ascii && c < 0x80;
  }
  if (!ascii) return UrlStatus::kNeedsIdna;
  for (size_t start = 0; start <= decoded.size();) {
    if (starts_with_ignoring_ascii_case(decoded.substr(start), "xn--")) {
      // A forbidden code point fails the host whatever the Punycode says.
      for (char c : decoded)
        if (is_forbidden_domain_code_point(static_cast<uint8_t>(c))) return UrlStatus::kFailure;
      return UrlStatus::kNeedsIdna;
    }
    const size_t dot = decoded.find('.', start);
    if (dot == StringView::npos) break;
    start = dot + 1;
  }
  out.lowercase_ascii();
  if (out.empty()) return UrlStatus::kFailure;
  for (char c : out.view())
    if (is_forbidden_domain_code_point(static_cast<uint8_t>(c))) return UrlStatus::kFailure;
  if (ends_in_a_number(out.view())) {
    uint32_t address = 0;
    const UrlStatus status = parse_ipv4(out.view(), address);
    if (status != UrlStatus::kOk) return status;
    out.clear();
    if (planted & kBugUrlIpv4Reversed) address = __builtin_bswap32(address);
    serialize_ipv4(address, out);
    kind = HostKind::kIpv4;
    return UrlStatus::kOk;
  }
  kind = HostKind::kDomain;
  return UrlStatus::kOk;
}

}  // namespace

bool ends_in_a_number(StringView domain) {
  if (!domain.empty() && domain[domain.size() - 1] == '.')
    domain = domain.substr(0, domain.size() - 1);
  size_t last_dot = StringView::npos;
  for (size_t i = 0; i < domain.size(); ++i)
    if (domain[i] == '.') last_dot = i;
  const StringView last = last_dot == StringView::npos ? domain : domain.substr(last_dot + 1);
  if (last.empty()) return false;
  bool digits = true;
  for (char ch : last) digits = digits && is_ascii_digit(static_cast<uint8_t>(ch));
  if (digits) return true;
  uint64_t ignored;
  return parse_ipv4_number(last, ignored);
}

UrlStatus parse_host(StringView input, bool is_opaque, TextSink& out, HostKind& kind,
                     uint32_t planted) {
  out.clear();
  if (!input.empty() && input[0] == '[') {
    if (input[input.size() - 1] != ']' || input.size() < 2) return UrlStatus::kFailure;
    uint16_t address[8];
    const UrlStatus status = parse_ipv6(input.substr(1, input.size() - 2), address);
    if (status != UrlStatus::kOk) return status;
    serialize_ipv6(address, out);
    kind = HostKind::kIpv6;
    return UrlStatus::kOk;
  }
  if (is_opaque) return parse_opaque_host(input, out, kind);
  return parse_domain(input, out, kind, planted);
}

}  // namespace rayos::web
