#pragma once
// A VirtualClient's workload (os/user/programs/client.cpp): what it does and how often, packed
// into the four start arguments of a ring-3 process so that the kernel and the program agree on
// one layout.
//
//   arg0 = seed
//   arg1 = draw_hz | dnd_per_min << 16 | churn_per_min << 32 | surfaces << 48 | side << 56
//   arg2 = leak_bytes_per_min
//   arg3 = index (the client's number in its run, for its first positions)
#include <stdint.h>

namespace rayos::compositor {

struct ClientWorkload {
  uint64_t seed = 1;
  uint32_t draw_hz = 30;            // redraw + commit of one of its surfaces, per second (1..1000)
  uint32_t dnd_per_min = 6;         // drags it starts, per minute (0..60000)
  uint32_t churn_per_min = 6;       // surfaces destroyed and created anew, per minute (0..60000)
  uint32_t surfaces = 2;            // surfaces it keeps (1..8)
  uint32_t side = 64;               // surface width and height in pixels (8..255)
  uint64_t leak_bytes_per_min = 0;  // memory it maps, touches and never frees, per minute
  uint32_t index = 0;
};

inline constexpr uint32_t kMaxClientSurfaces = 8;

struct PackedWorkload {
  uint64_t args[4];
};

PackedWorkload pack(const ClientWorkload& workload);
// False when a field is out of its range (the client then exits with an error).
bool unpack(const uint64_t (&args)[4], ClientWorkload& workload);

}  // namespace rayos::compositor
