#include "os/core/fuzz/base64.h"

namespace rayos {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

size_t base64_encode(const uint8_t* data, size_t size, char* out) {
  size_t n = 0;
  for (size_t i = 0; i < size; i += 3) {
    const size_t rest = size - i;
    const uint32_t triple = uint32_t{data[i]} << 16 | (rest > 1 ? uint32_t{data[i + 1]} << 8 : 0) |
                            (rest > 2 ? uint32_t{data[i + 2]} : 0);
    out[n++] = kAlphabet[triple >> 18 & 63];
    out[n++] = kAlphabet[triple >> 12 & 63];
    out[n++] = rest > 1 ? kAlphabet[triple >> 6 & 63] : '=';
    out[n++] = rest > 2 ? kAlphabet[triple & 63] : '=';
  }
  return n;
}

bool base64_decode(const char* text, size_t size, uint8_t* out, size_t& out_size) {
  out_size = 0;
  if (size % 4 != 0) return false;
  for (size_t i = 0; i < size; i += 4) {
    const bool last = i + 4 == size;
    // Padding only at the very end: "xx==" or "xxx=".
    const size_t pad = !last ? 0 : text[i + 3] != '=' ? 0 : text[i + 2] == '=' ? 2 : 1;
    uint32_t triple = 0;
    for (size_t k = 0; k < 4; ++k) {
      const int v = k >= 4 - pad ? 0 : base64_value(text[i + k]);
      if (v < 0) return false;
      triple = triple << 6 | static_cast<uint32_t>(v);
    }
    out[out_size++] = static_cast<uint8_t>(triple >> 16);
    if (pad < 2) out[out_size++] = static_cast<uint8_t>(triple >> 8);
    if (pad < 1) out[out_size++] = static_cast<uint8_t>(triple);
  }
  return true;
}

}  // namespace rayos
