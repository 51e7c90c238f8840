#pragma once
// The lifecycle markers every guest prints (docs/rayos.md, "Markers"): BOOT:START, BOOT:READY,
// SYS:HEARTBEAT, SYS:EXIT. Gives the base metrics of every run: boot time, heartbeats, guest
// uptime.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/run_result.h"
#include "harness/marker/marker_stream.h"

namespace osh::campaign {

// A run that never showed BOOT:READY (when its schema declares it, or has no markers of its
// own) does not pass: the finding names the prefix that was expected and what the console
// showed instead. A `<CATEGORY>:COMPLETE:fail` marker, the guest's own verdict on a campaign,
// is a FAIL whether or not that campaign's analyzer is named.
//
// Boot time is measured so that a loaded host cannot fail it: `run_delay_ns` tells how long the
// VM's QEMU waited for a host CPU so far (its run delay, /proc/<pid>/task/*/schedstat), and
// what it waited by BOOT:READY (by the first line) is taken off the wall time. boot_ms and
// first_output_ms are the corrected figures, boot_ms_raw and first_output_ms_raw the wall times.
class Lifecycle : public marker::MarkerObserver {
 public:
  Lifecycle() = default;
  explicit Lifecycle(const marker::Schema& schema, std::function<int64_t()> run_delay_ns = {});

  void on_marker(const marker::MarkerEvent& event) override;
  void on_line(const marker::ConsoleLine& line) override;

  // Fills boot_ms and the lifecycle metrics; `spawn_ns` is the zero of boot time. Call it after
  // the findings of how the run ended (crash, watchdog, interruption).
  void finish(int64_t spawn_ns, RunResult& result) const;

 private:
  std::string prefix_ = "RAYOS";
  std::string schema_origin_;
  bool requires_ready_ = false;
  uint64_t lines_ = 0;
  std::vector<std::string> first_lines_;         // escaped, cut: what the console showed
  std::vector<std::string> failed_completions_;  // categories whose COMPLETE said fail
  // A host time and the VM's run delay when it was taken.
  struct Moment {
    int64_t host_ns;
    int64_t run_delay_ns;
  };
  Moment now(int64_t host_ns) const { return {host_ns, run_delay_ns_ ? run_delay_ns_() : 0}; }

  std::function<int64_t()> run_delay_ns_;
  std::optional<Moment> first_line_;
  std::optional<int64_t> start_ns_;
  std::optional<Moment> ready_;
  uint64_t heartbeats_ = 0;
  uint64_t last_uptime_ms_ = 0;
  std::string version_;
};

// TEST:START:<name>, TEST:PASS:<name>, TEST:FAIL:<name>:<reason>,
// TEST:SUMMARY:<passed>:<failed>: tests run inside the guest, one JUnit testcase each. A test
// that started but never ended (the guest died in it) fails; so does a summary that disagrees
// with the tests seen.
class GuestTests : public marker::MarkerObserver {
 public:
  void on_marker(const marker::MarkerEvent& event) override;
  void finish(RunResult& result) const;

 private:
  struct Test {
    std::string name;
    int64_t start_ns = 0;
    std::optional<GuestTest> outcome;
  };
  std::vector<Test> tests_;
  std::optional<std::pair<uint64_t, uint64_t>> summary_;
};

}  // namespace osh::campaign
