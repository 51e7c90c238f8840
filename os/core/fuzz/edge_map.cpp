#include "os/core/fuzz/edge_map.h"

namespace rayos {
namespace {

uint8_t count_class(uint8_t count) {
  if (count <= 3) return static_cast<uint8_t>(1u << (count - 1));
  if (count <= 7) return 8;
  if (count <= 15) return 16;
  if (count <= 31) return 32;
  if (count <= 127) return 64;
  return 128;
}

}  // namespace

bool EdgeMap::merge() {
  bool fresh = false;
  // Most of the map stays zero for a given input: skip it a word at a time.
  for (size_t word = 0; word < kSize; word += 8) {
    uint64_t packed;
    __builtin_memcpy(&packed, counts_ + word, 8);
    if (packed == 0) continue;
    for (size_t i = word; i < word + 8; ++i) {
      if (counts_[i] == 0) continue;
      const uint8_t cls = count_class(counts_[i]);
      counts_[i] = 0;
      if ((seen_[i] & cls) != 0) continue;
      if (seen_[i] == 0) ++edges_;
      seen_[i] |= cls;
      fresh = true;
    }
  }
  return fresh;
}

}  // namespace rayos
