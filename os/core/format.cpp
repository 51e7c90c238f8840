#include "os/core/format.h"

namespace rayos {

size_t format_u64(uint64_t value, char* out) {
  char reversed[kMaxIntChars];
  size_t n = 0;
  do {
    reversed[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (size_t i = 0; i < n; ++i) out[i] = reversed[n - 1 - i];
  return n;
}

size_t format_i64(int64_t value, char* out) {
  if (value >= 0) return format_u64(static_cast<uint64_t>(value), out);
  out[0] = '-';
  // Negate in unsigned arithmetic so that INT64_MIN does not overflow.
  return 1 + format_u64(0 - static_cast<uint64_t>(value), out + 1);
}

void format_hex_fixed(uint64_t value, unsigned digits, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned i = 0; i < digits; ++i) out[digits - 1 - i] = kHex[(value >> (4 * i)) & 0xF];
}

size_t format_hex(uint64_t value, char* out) {
  unsigned digits = 1;
  while (digits < 16 && (value >> (4 * digits)) != 0) ++digits;
  out[0] = '0';
  out[1] = 'x';
  format_hex_fixed(value, digits, out + 2);
  return 2 + digits;
}

bool parse_u64(StringView text, uint64_t& out) {
  if (text.empty()) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return false;
    value = value * 10 + digit;
  }
  out = value;
  return true;
}

}  // namespace rayos
