#pragma once
// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of the marker protocol.
// Portable and freestanding: the guest uses it to stamp markers, the host to verify them.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

// Extends `crc` (the value returned for the bytes before) over `len` bytes at `data`.
// crc32c("123456789", 9) == 0xE3069283.
uint32_t crc32c(const void* data, size_t len, uint32_t crc = 0);

}  // namespace rayos
