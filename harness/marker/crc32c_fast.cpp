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
  uint64_t c = uint32_t(~crc);
  if (len >= 8) {
    // The first 1 to 8 bytes, so that whole words are left, without a branch on how many: a
    // CRC step over zero bytes from a zero register leaves it zero, so the k bytes (with the
    // register folded into them, as the instruction does) go to the top of a word whose low
    // bytes are zero; register bytes beyond the k bytes are not folded in but shifted down.
    // Three tests of the last 0 to 7 bytes instead were a fifth of the parse's mispredicted
    // branches as cachegrind's predictor model counts them; without them `osharness parse`
    // took 5% less CPU time (docs/performance.md).
    const size_t k = (len - 1) % 8 + 1;
    uint64_t word;
    std::memcpy(&word, p, 8);
    const uint64_t mine = ~uint64_t(0) >> (8 * (8 - k));
    c = _mm_crc32_u64(0, ((word ^ c) & mine) << (8 * (8 - k))) ^ (c >> (8 * k - 1) >> 1);
    p += k;
    len -= k;
    for (; len != 0; p += 8, len -= 8) {
      std::memcpy(&word, p, 8);
      c = _mm_crc32_u64(c, word);
    }
    return ~uint32_t(c);
  }
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
