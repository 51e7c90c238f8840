#include "os/core/compositor_workload.h"

namespace rayos::compositor {

PackedWorkload pack(const ClientWorkload& w) {
  return PackedWorkload{{w.seed,
                         uint64_t{w.draw_hz & 0xffff} | uint64_t{w.dnd_per_min & 0xffff} << 16 |
                             uint64_t{w.churn_per_min & 0xffff} << 32 |
                             uint64_t{w.surfaces & 0xff} << 48 | uint64_t{w.side & 0xff} << 56,
                         w.leak_bytes_per_min, w.index}};
}

bool unpack(const uint64_t (&args)[4], ClientWorkload& w) {
  w.seed = args[0];
  w.draw_hz = static_cast<uint32_t>(args[1] & 0xffff);
  w.dnd_per_min = static_cast<uint32_t>((args[1] >> 16) & 0xffff);
  w.churn_per_min = static_cast<uint32_t>((args[1] >> 32) & 0xffff);
  w.surfaces = static_cast<uint32_t>((args[1] >> 48) & 0xff);
  w.side = static_cast<uint32_t>(args[1] >> 56);
  w.leak_bytes_per_min = args[2];
  w.index = static_cast<uint32_t>(args[3]);
  return w.draw_hz >= 1 && w.draw_hz <= 1000 && w.dnd_per_min <= 60000 &&
         w.churn_per_min <= 60000 && w.surfaces >= 1 && w.surfaces <= kMaxClientSurfaces &&
         w.side >= 8 && args[3] <= 0xffffffff;
}

}  // namespace rayos::compositor
