#pragma once
// Decides when a run has to be stopped, and why (docs/specs.md, "Verdicts"): no console output for
// the idle limit (HANG), no heartbeat for the heartbeat limit once the guest has sent one (HANG),
// or the total deadline reached while still making progress (TIMEOUT). Each limit is measured in
// time the guest could actually run: intervals in which QEMU waited for a host CPU (its run_delay)
// or was paused on purpose are added to the limit, so a loaded host does not fail tests. The
// heartbeat limit is also stretched by how much slower than the host's the guest's own clock
// runs, measured from its heartbeats' uptimes (under icount guest time is instruction count, and
// TCG on a loaded host runs far fewer instructions per second than the guest assumes).
#include <cstdint>
#include <optional>
#include <string>

#include "harness/campaign/run_result.h"
#include "harness/campaign/spec.h"
#include "harness/marker/marker_stream.h"

namespace osh::campaign {

class Watchdog : public marker::MarkerObserver {
 public:
  Watchdog(const Timeouts& timeouts, int64_t start_ns);

  void on_marker(const marker::MarkerEvent& event) override;
  // Any console byte counts as output, even a partial line.
  void on_output(int64_t host_ns) { last_output_ns_ = host_ns; }

  // `starved_ns`: QEMU's cumulative time runnable-but-not-running since the start of the run;
  // it extends a limit by at most twice its length. `paused_ns`: cumulative time the harness held
  // the VM paused (fault injection), excused in full. Returns the finding that ends the run, if a
  // limit has passed.
  std::optional<Finding> check(int64_t now_ns, int64_t starved_ns, int64_t paused_ns = 0);

  // When check() should next be called (monotonic ns): at once before the first check, then by
  // the nearest limit and at least every 100 ms. Calls between are not needed.
  int64_t next_check_ns() const;

  double extension_s() const { return static_cast<double>(extension_ns_) / 1e9; }

 private:
  struct Window {
    int64_t since_ns;
    int64_t starved_at_start;
  };
  // Starvation (or pause) that happened since `since_ns`, given the current total; the totals
  // are sampled at every check, so this is exact at check granularity.
  int64_t starved_since(int64_t since_ns, int64_t starved_now) const;
  int64_t heartbeat_limit_ns() const;
  int64_t paused_since(int64_t since_ns, int64_t paused_now) const;

  Timeouts timeouts_;
  int64_t start_ns_;
  int64_t last_output_ns_;
  std::optional<int64_t> last_heartbeat_ns_;
  uint64_t last_uptime_ms_ = 0;
  // Host time of the guest's uptime 0 (the run's start, then each BOOT:START), and host time
  // per unit of guest time since, from the latest heartbeat's uptime (at least 1).
  int64_t guest_clock_origin_ns_;
  double guest_clock_slowdown_ = 1.0;
  int64_t extension_ns_ = 0;
  // (time, cumulative starvation) samples taken at each check, oldest first, kept short.
  struct Sample {
    int64_t at_ns;
    int64_t starved_ns;
    int64_t paused_ns;
  };
  int64_t since(int64_t since_ns, int64_t now_total, int64_t Sample::*total) const;
  static constexpr int kSamples = 1024;  // 100 s of history at one check per 100 ms
  Sample samples_[kSamples] = {};
  int sample_count_ = 0;
  int sample_next_ = 0;
};

}  // namespace osh::campaign
