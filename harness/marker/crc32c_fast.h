#pragma once
// CRC-32C for the host's hot path: the SSE4.2 crc32 instruction when the CPU has it (chosen once
// at run time), else the portable rayos::crc32c that the guest uses. Both give the same values.
#include <cstddef>
#include <cstdint>

namespace osh::marker {

uint32_t crc32c(const void* data, size_t len, uint32_t crc = 0);

// The implementation crc32c() calls, for a caller on a hot path to keep: calling it directly
// saves crc32c()'s check that the choice is made (20 instructions a marker, callgrind).
using Crc32cFunction = uint32_t (*)(const void* data, size_t len, uint32_t crc);
Crc32cFunction fastest_crc32c();

// The two implementations, for tests and benchmarks. crc32c_hw needs has_hw_crc32c().
bool has_hw_crc32c();
uint32_t crc32c_hw(const void* data, size_t len, uint32_t crc = 0);
uint32_t crc32c_portable(const void* data, size_t len, uint32_t crc = 0);

}  // namespace osh::marker
