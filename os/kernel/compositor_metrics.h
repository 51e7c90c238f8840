#pragma once
// The soak's metrics collector: once per second of guest time (uptime, which follows the TSC)
// it prints SOAK:METRICS_SNAPSHOT:<cpu_pct>:<mem_kb>:<latency_us>:<fps> for the window since
// the previous snapshot:
//   cpu_pct    — 100 - the idle task's share of the window (scheduler CPU accounting);
//   mem_kb     — frames in use outside the kernel heap x 4 KiB, plus the heap's live bytes;
//   latency_us — the 99th percentile (nearest rank) of the event-delivery latencies clients
//                reported in the window (TSC, measured by each client on receipt); 0 when none
//                was reported;
//   fps        — frames the compositor actually composed in the window.
// A window normally spans one second (it ends with the first frame at or past the boundary:
// started at the compositor's epoch, that is the frame due on the boundary); if the
// guest stalls past several boundaries, one snapshot covers the whole stall and the boundaries
// it missed are skipped — the gap shows in the marker timestamps.
#include <stdint.h>

namespace rayos::kernel {

class SoakMetrics {
 public:
  // Starts the first window at `start_ns` of uptime (not in the future).
  void begin(uint64_t start_ns);
  // Prints a snapshot if the window's second is over (then true); call after every frame.
  bool poll();

  uint64_t snapshots() const { return snapshots_; }
  // Frames counted in the printed snapshots (their fps fields summed).
  uint64_t frames_reported() const { return frames_reported_; }

 private:
  uint64_t window_start_ = 0;
  uint64_t next_boundary_ = 0;
  uint64_t idle_at_start_ = 0;
  uint64_t frames_at_start_ = 0;
  uint64_t snapshots_ = 0;
  uint64_t frames_reported_ = 0;
};

}  // namespace rayos::kernel
