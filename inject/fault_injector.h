#pragma once
// Applies a run's host-side fault schedule (fault_schedule.h) to its VM and checks each fault:
// that it took effect (query-status says paused; QEMU sent RESET and the guest booted again; the
// killed QEMU is gone), and that the guest came back within the recovery deadline (a heartbeat
// after a pause, BOOT:READY after a reset or a restart). A fault that silently did nothing, or
// a guest that did not come back, is a finding that names the fault. Each fault is journalled
// when it ends, with its times. A run hook (harness/campaign/run_hook.h): the runner's loop
// drives it, and tick() does one non-blocking step.
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/analyzer.h"
#include "harness/campaign/run_hook.h"
#include "harness/campaign/run_result.h"
#include "harness/marker/marker_stream.h"
#include "harness/vm/vm.h"
#include "inject/disk_target.h"
#include "inject/fault_schedule.h"

namespace osh::inject {

struct FaultRecord {
  ScheduledFault fault;
  int64_t start_ns = 0;                 // applied
  int64_t end_ns = 0;                   // stopped (resumed, reset sent, new VM started)
  std::optional<int64_t> recovered_ns;  // recovery time: from end_ns (pause, disk_eio) or
                                        // start_ns (reset, kill: the guest is down at once)
  // When the guest reported the fault itself (link, partition: NET:LINK down, NET:PEER lost).
  std::optional<int64_t> detected_ns;
  // Time QEMU was runnable but waiting for a host CPU between the fault's start and its
  // detection, and between its end and the recovery (faults with a duration): the part of
  // those delays the guest could not run at all.
  std::optional<int64_t> detect_starved_ns, recovery_starved_ns;
  bool took_effect = false;
  std::string effect;   // the evidence: "query-status: paused", "QMP RESET event, BOOT:START"
  std::string problem;  // why it did not take effect or did not recover; empty when fine
  std::vector<uint64_t> cut_lines;  // markers cut short by a kill (not the guest's fault)
  // Kill: blocks with an acknowledged write checked on the image, and those not there.
  uint64_t acked_checked = 0;
  std::vector<std::string> acked_lost;
};

class FaultInjector final : public campaign::RunHook {
 public:
  // `journal` receives one {"record":"fault",...} object per fault as it settles.
  // `disk` (pick_disk()) is checked after each kill and takes the disk_eio faults.
  FaultInjector(FaultPlan plan, uint64_t seed, int run_index, DiskTarget disk,
                std::function<void(const nlohmann::json&)> journal);

  // Plans the disk_eio windows on the VM's disk (its DiskErrors capability); throws
  // osh::InfraError when the backend has none.
  void before_start(vm::Vm& vm) override;
  // `spawn_ns`: the zero of the times in records (the first VM's spawn).
  void started(int64_t spawn_ns) override { spawn_ns_ = spawn_ns; }
  void on_marker(const marker::MarkerEvent& event) override;
  void on_vm_event(const vm::VmEvent& event) override;

  // Starts, stops and checks whatever is due at `now_ns`. Throws osh::InfraError when the VM
  // refuses a command or cannot be restarted.
  void tick(int64_t now_ns, campaign::RunControl& control) override;
  int64_t next_tick_ns() const override;
  // Time the VM was held paused by a fault, up to `now_ns`: not the guest's time to hang.
  int64_t paused_ns(int64_t now_ns) const override;

  // Findings, metrics (faults.*), the schedule and records in analysis["faults"], and a chart
  // of guest uptime against host time with the fault windows shaded. Markers cut by a kill are
  // taken out of the malformed count: they are the injected fault's doing, listed with it.
  void finish(campaign::RunResult& result) override;

  const std::vector<FaultRecord>& records() const { return records_; }

 private:
  enum class Phase : uint8_t { WaitReady, Quiet, Active, Recovering, Healed };
  void start_fault(int64_t now_ns, campaign::RunControl& control);
  void stop_fault(int64_t now_ns, campaign::RunControl& control);
  // The current fault is over (recovered, or its deadline passed): record, journal, go on.
  void settle(int64_t now_ns, campaign::RunControl& control);
  // A reset took effect when QEMU sent RESET and the guest booted again.
  void judge_reset(FaultRecord& record) const;
  // The latest marker that shows the guest back after a fault of `type` (recovery_evidence()).
  const std::optional<int64_t>& recovery_marker_ns(FaultType type) const;
  // The guest's own report of a link or partition fault (null for other types).
  const std::optional<int64_t>* detection_marker_ns(FaultType type) const;
  void heal(int64_t now_ns, campaign::RunControl& control);
  // Opens or closes the next disk error window; false with the reason in `problem`.
  bool step_disk_errors(vm::Vm& vm, std::string& problem);
  // Link and partition faults: applies `on` (link down / partitioned) or lifts it on every NIC;
  // false with the reason in `problem` (no NIC, a NIC that cannot show link state, a refusal).
  bool set_network(vm::Vm& vm, FaultType type, bool on, std::string& problem);
  void check_disk(FaultRecord& record) const;
  nlohmann::json record_json(const FaultRecord& record) const;
  double ms(int64_t ns) const { return static_cast<double>(ns - spawn_ns_) / 1e6; }

  FaultPlan plan_;
  uint64_t seed_;
  int run_index_;
  int64_t spawn_ns_ = 0;
  DiskTarget disk_;
  std::function<void(const nlohmann::json&)> journal_;
  std::vector<ScheduledFault> schedule_;
  std::vector<FaultRecord> records_;
  std::optional<FaultRecord> current_;
  Phase phase_ = Phase::WaitReady;
  size_t next_ = 0;          // index of the next fault to start
  int64_t due_ns_ = 0;       // when the current phase's next step is due
  int64_t last_now_ns_ = 0;  // of the latest tick()
  int64_t paused_total_ns_ = 0;
  std::optional<int64_t> paused_since_;
  // Evidence seen since the current fault started.
  bool saw_reset_event_ = false;
  bool saw_boot_start_ = false;
  std::optional<int64_t> ready_ns_;      // BOOT:READY
  std::optional<int64_t> heartbeat_ns_;  // SYS:HEARTBEAT
  std::optional<int64_t> disk_ack_ns_;   // DISK:ACK
  std::optional<int64_t> io_error_ns_;   // DISK:IO_ERROR of the current disk_eio fault's op
  std::optional<int64_t> link_down_ns_, link_up_ns_;             // NET:LINK
  std::optional<int64_t> peer_lost_ns_, peer_back_ns_;           // NET:PEER
  int64_t run_delay_at_start_ns_ = 0, run_delay_at_end_ns_ = 0;  // of the current fault
  // Newest acknowledged generation of every block the guest wrote, over all boots.
  std::map<uint64_t, uint32_t> acked_;
  uint64_t acks_ = 0;
  // Disk error window steps made so far; a restarted VM starts its windows from the first.
  int disk_steps_ = 0;
  std::optional<nlohmann::json> heal_;
  // (host ns, guest uptime ms) of every heartbeat, for the chart.
  std::vector<std::pair<int64_t, uint64_t>> uptime_;
};

// The metrics finish() adds, for criteria checks and the gate.
const std::vector<campaign::MetricInfo>& injector_metrics();

// The "faults" run hook: parses the spec section and makes one FaultInjector per run.
campaign::RunHookInfo fault_injection_hook();

}  // namespace osh::inject
