#include "harness/marker/crc32c_fast.h"

#include <cstring>

#include "os/core/crc32c.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace osh::marker {

#if defined(__x86_64__)

bool has_hw_crc32c() { return __builtin_cpu_supports("sse4.2"); }

__attribute__((target("sse4.2"))) uint32_t crc32c_hw(const void* data, size_t len, uint32_t crc) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t c = ~crc;
  for (; len >= 8; p += 8, len -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
  }
  // At most three steps for the last 0 to 7 bytes: markers end anywhere in a word.
  auto c32 = static_cast<uint32_t>(c);
  if (len & 4) {
    uint32_t word;
    std::memcpy(&word, p, 4);
    c32 = _mm_crc32_u32(c32, word);
    p += 4;
  }
  if (len & 2) {
    uint16_t half;
    std::memcpy(&half, p, 2);
    c32 = _mm_crc32_u16(c32, half);
    p += 2;
  }
  if (len & 1) c32 = _mm_crc32_u8(c32, *p);
  return ~c32;
}

#else

bool has_hw_crc32c() { return false; }

uint32_t crc32c_hw(const void* data, size_t len, uint32_t crc) {
  return rayos::crc32c(data, len, crc);
}

#endif

uint32_t crc32c_portable(const void* data, size_t len, uint32_t crc) {
  return rayos::crc32c(data, len, crc);
}

Crc32cFunction fastest_crc32c() {
  static const Crc32cFunction chosen = has_hw_crc32c() ? crc32c_hw : crc32c_portable;
  return chosen;
}

uint32_t crc32c(const void* data, size_t len, uint32_t crc) {
  return fastest_crc32c()(data, len, crc);
}

}  // namespace osh::marker
