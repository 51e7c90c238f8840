#pragma once
// The lines of the `garbage` scenario: seeded noise, malformed markers and corrupt markers mixed
// with valid ones, generated so that the guest knows exactly what a correct parser must count.
//
//   noise      random bytes (invalid UTF-8, NUL, CR, escape sequences) that never contain '\n'
//              and never contain 'R', so no "RAYOS_" can appear even once escapes are stripped;
//   malformed  starts like a marker (RAYOS_ + uppercase) but breaks the grammar or the schema:
//              cut short before " #seq*crc" (no sequence number), or carrying a correct seq and
//              CRC with a wrong field count, a non-numeric index, or an unknown event;
//   corrupt    a valid GARBAGE:LINE with the next seq whose index has one digit changed after the
//              CRC was computed, so the grammar and types hold but the CRC does not match.
#include <stddef.h>
#include <stdint.h>

#include "os/core/prng.h"

namespace rayos {

enum class GarbageKind { kValid, kNoise, kMalformed, kCorrupt };

struct GarbageLine {
  GarbageKind kind;
  size_t size;        // bytes written, '\n' included
  bool consumed_seq;  // the line carries `seq`: the caller must advance its sequence number
};

class GarbageGenerator {
 public:
  static constexpr size_t kMaxLine = 192;

  explicit GarbageGenerator(uint64_t seed) : prng_(seed) {}

  // Writes the next line to `out` (kMaxLine bytes); a marker that carries a sequence number
  // carries `seq`.
  GarbageLine next(uint64_t seq, char* out);

 private:
  size_t noise(char* out);
  GarbageLine malformed(uint64_t seq, char* out);
  size_t corrupt(uint64_t seq, char* out);

  Prng prng_;
  uint64_t index_ = 0;
};

}  // namespace rayos
