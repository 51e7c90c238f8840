#include "os/core/disk_pattern.h"

#include "os/core/crc32c.h"
#include "os/core/prng.h"

namespace rayos::disk_pattern {
namespace {

constexpr size_t kCrcFrom = 8;  // the CRC covers everything after magic and crc

uint64_t payload_state(uint64_t block, uint32_t generation, uint64_t seed) {
  return seed ^ (block * 0x9e3779b97f4a7c15ull) ^ (uint64_t{generation} << 40);
}

bool all_zero(const uint8_t* bytes) {
  for (size_t i = 0; i < kBlockSize; ++i)
    if (bytes[i] != 0) return false;
  return true;
}

}  // namespace

void fill(void* data, uint64_t block, uint32_t generation, uint64_t seed) {
  auto* bytes = static_cast<uint8_t*>(data);
  auto* words = static_cast<uint64_t*>(data);
  uint64_t state = payload_state(block, generation, seed);
  for (size_t i = sizeof(Header) / 8; i < kBlockSize / 8; ++i) words[i] = splitmix64(state);
  auto* header = static_cast<Header*>(data);
  header->magic = kMagic;
  header->block = block;
  header->generation = generation;
  header->reserved = 0;
  header->seed = seed;
  header->crc = crc32c(bytes + kCrcFrom, kBlockSize - kCrcFrom);
}

const char* check_name(Check check) {
  switch (check) {
    case Check::kOk:
      return "ok";
    case Check::kNeverWritten:
      return "never_written";
    case Check::kBadMagic:
      return "bad_magic";
    case Check::kBadCrc:
      return "bad_crc";
    case Check::kBadPayload:
      return "bad_payload";
    case Check::kWrongBlock:
      return "wrong_block";
    case Check::kWrongSeed:
      return "wrong_seed";
    case Check::kWrongGeneration:
      return "wrong_generation";
  }
  return "unknown";
}

Check verify(const void* data, uint64_t block, uint32_t expected_generation, uint64_t seed) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  const auto* header = static_cast<const Header*>(data);
  if (header->magic != kMagic)
    return expected_generation == 0 && all_zero(bytes) ? Check::kNeverWritten : Check::kBadMagic;
  if (header->crc != crc32c(bytes + kCrcFrom, kBlockSize - kCrcFrom)) return Check::kBadCrc;
  // A writer that stamped a header over the wrong payload still has a good CRC.
  const auto* words = static_cast<const uint64_t*>(data);
  uint64_t state = payload_state(header->block, header->generation, header->seed);
  for (size_t i = sizeof(Header) / 8; i < kBlockSize / 8; ++i)
    if (words[i] != splitmix64(state)) return Check::kBadPayload;
  if (header->block != block) return Check::kWrongBlock;
  if (header->seed != seed) return Check::kWrongSeed;
  if (expected_generation != 0 && header->generation != expected_generation)
    return Check::kWrongGeneration;
  return Check::kOk;
}

}  // namespace rayos::disk_pattern
