#pragma once
// Base64 (RFC 4648, standard alphabet, '=' padding): how fuzz inputs cross the serial port inside
// a marker field. Every character of the alphabet is a legal marker field character, and it is a
// third shorter than hex, which matters in a 192-byte marker line.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

// A character's value in the alphabet, or -1 (padding included).
int base64_value(char c);

constexpr size_t base64_length(size_t bytes) { return (bytes + 2) / 3 * 4; }

// Writes base64_length(size) characters at `out` (no terminating NUL); returns that count.
size_t base64_encode(const uint8_t* data, size_t size, char* out);

// Decodes `size` characters (a multiple of 4, padded) into `out`, which has room for
// size / 4 * 3 bytes; false on any character outside the alphabet or misplaced padding.
bool base64_decode(const char* text, size_t size, uint8_t* out, size_t& out_size);

}  // namespace rayos
