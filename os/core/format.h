#pragma once
// Integer formatting and strict parsing without libc (the guest has none).
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos {

// Longest output of the formatters below: "18446744073709551615", "-9223372036854775808" and
// "0x" + 16 hex digits all fit.
inline constexpr size_t kMaxIntChars = 20;

// A number to be printed as "0x<hex>" (addresses in PANIC/FRAME markers).
struct Hex {
  uint64_t value;
};

// Each writes the digits at `out` (no terminating NUL) and returns how many were written;
// `out` must have room for kMaxIntChars bytes.
size_t format_u64(uint64_t value, char* out);
size_t format_i64(int64_t value, char* out);
// "0x" followed by lowercase hex digits, no leading zeros ("0x0" for zero).
size_t format_hex(uint64_t value, char* out);
// Exactly `digits` lowercase hex digits of the low bits of `value` (for the marker CRC).
void format_hex_fixed(uint64_t value, unsigned digits, char* out);

// Strict decimal: one or more digits, nothing else, no sign, must fit in 64 bits.
bool parse_u64(StringView text, uint64_t& out);

}  // namespace rayos
