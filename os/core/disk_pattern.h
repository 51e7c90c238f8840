#pragma once
// Self-describing disk blocks for the disk stress load: every block written carries its own
// block number, a write generation, the run's seed and a CRC-32C of the whole block, and its
// payload is derived from those, so a read can tell a good block from a stale, misplaced, torn
// or corrupted one without keeping a copy of what was written.
#include <stddef.h>
#include <stdint.h>

namespace rayos::disk_pattern {

inline constexpr size_t kBlockSize = 4096;
inline constexpr uint32_t kMagic = 0x42445952;  // "RYDB"

struct Header {
  uint32_t magic;
  uint32_t crc;  // CRC-32C of the block from `block` to its end
  uint64_t block;
  uint32_t generation;  // 1 for the first write of a block in a run, +1 per rewrite
  uint32_t reserved;
  uint64_t seed;
};

// Fills `data` (kBlockSize bytes) for block `block`, write `generation`, run `seed`.
void fill(void* data, uint64_t block, uint32_t generation, uint64_t seed);

enum class Check : uint8_t {
  kOk,               // a block written as expected
  kNeverWritten,     // all zeros, and no write was expected
  kBadMagic,         // not a pattern block (and not an unwritten one)
  kBadCrc,           // torn or corrupted
  kBadPayload,       // the CRC holds but the payload is not the one its header describes
  kWrongBlock,       // a good block, but written for another block number
  kWrongSeed,        // a good block from another run
  kWrongGeneration,  // a good block, but an older or newer write than the last one acknowledged
};
const char* check_name(Check check);

// Checks a block read back. `expected_generation` is the generation of the last acknowledged
// write of it in this run, or 0 when this run has not written it: then any good block of this
// seed (a write from before a restart on the same image) or an all-zero block is accepted.
Check verify(const void* data, uint64_t block, uint32_t expected_generation, uint64_t seed);

}  // namespace rayos::disk_pattern
