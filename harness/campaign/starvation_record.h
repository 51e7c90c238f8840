#pragma once
// QEMU's cumulative wait for a host CPU over a run, kept as a step function of host time, so
// that whatever measures an interval between two host times (two markers' stamps, a fault and
// its recovery) can take off the wait that fell inside it (docs/specs.md, "Criteria under load").
// The runner reads QEMU's run delay at most once per interval, at a console read or a tick of
// its loop, and hands the record to analyzers (AnalyzerSetup) and run hooks (HookSetup).
#include <cstdint>
#include <vector>

#include "harness/campaign/starvation.h"

namespace osh::campaign {

class StarvationRecord {
 public:
  // Reading /proc costs more than parsing a chunk of markers; 10 ms bounds both that cost on a
  // flood (docs/performance.md) and the error at each end of an interval.
  static constexpr int64_t kDefaultIntervalNs = 10'000'000;

  explicit StarvationRecord(int64_t interval_ns = kDefaultIntervalNs) : interval_ns_(interval_ns) {}

  // Whether a reading at `host_ns` is wanted: none yet, or the last one is an interval old.
  bool due(int64_t host_ns) const { return !read_ || host_ns - last_read_ns_ >= interval_ns_; }
  // QEMU's run delay since the run began, `starved_ns`, read at host time `host_ns` (monotonic).
  // Readings that go back in time or in value are ignored: neither clock can.
  void record(int64_t host_ns, int64_t starved_ns);
  // What QEMU waited between host times `from_ns` and `to_ns`: the reading last taken at or
  // before `to_ns` less the one last taken at or before `from_ns` (0 before the first reading).
  // A wait counts at the reading that saw it, so each end is off by at most the wait within
  // one interval.
  int64_t starved_ns_between(int64_t from_ns, int64_t to_ns) const;
  // Milliseconds from `from_ns` to `to_ns` less that wait (starvation.h).
  double less_starvation_ms(int64_t from_ns, int64_t to_ns) const {
    return campaign::less_starvation_ms(to_ns - from_ns, starved_ns_between(from_ns, to_ns));
  }
  // Steps kept: only readings that changed the value are (an idle host adds none).
  size_t steps() const { return steps_.size(); }

 private:
  struct Step {
    int64_t host_ns;
    int64_t starved_ns;
  };
  int64_t at(int64_t host_ns) const;

  int64_t interval_ns_;
  bool read_ = false;
  int64_t last_read_ns_ = 0;
  std::vector<Step> steps_;
};

}  // namespace osh::campaign
