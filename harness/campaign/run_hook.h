#pragma once
// The seam between a run and what acts on it from the host while it goes: a run hook is ticked
// by the runner's loop, sees every marker and VM event, may pause or restart the VM, and adds
// its findings and metrics when the run is over. Fault injection (inject/) is one. A hook owns
// a section of the spec (its name: "faults") and parses it itself; the runner and the watchdog
// know only this interface.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/campaign/analyzer.h"
#include "harness/campaign/run_result.h"
#include "harness/campaign/starvation_record.h"
#include "harness/marker/marker_stream.h"
#include "harness/vm/vm.h"

namespace osh::campaign {

struct Spec;

// What a hook may do to the run's VMs beyond calling the VM itself.
class RunControl {
 public:
  virtual ~RunControl() = default;
  virtual vm::Vm& vm() = 0;  // the VM running now
  // After a kill: hands what the killed VM left to the run's observers, ends its console stream
  // and starts a new VM on the same config (same disk images). Returns the line numbers of
  // markers the kill cut short. Throws osh::InfraError when the new VM cannot start.
  virtual std::vector<uint64_t> restart() = 0;
};

class RunHook : public marker::MarkerObserver {
 public:
  bool wants_lines() const override { return false; }
  // Once, before the run's first VM is made: the hook adds what its VMs need to the run's VM
  // config (the network hook's interfaces, the wpt hook's data image as the initrd). Throws
  // osh::InfraError when it cannot (the run is INFRA_ERROR).
  virtual void configure(vm::VmConfig& /*config*/) {}
  // Before each VM of the run starts: the first, and each one restart() makes. Throws
  // osh::InfraError when the VM cannot do what the hook needs (the run is INFRA_ERROR).
  virtual void before_start(vm::Vm& /*vm*/) {}
  // The first VM has started; `spawn_ns` is the zero of the run's times.
  virtual void started(int64_t /*spawn_ns*/) {}
  virtual void on_vm_event(const vm::VmEvent& /*event*/) {}
  // The VM ended by itself (its console drained). True: the runner starts a new one on the same
  // config and the run goes on (the fuzz hook goes on fuzzing after a guest crash). Every hook
  // is asked; one true is enough.
  virtual bool restart_after_exit(int64_t /*now_ns*/) { return false; }
  // Does whatever is due at `now_ns` (one non-blocking step). Throws osh::InfraError when the
  // VM refuses a command; the run then ends INFRA_ERROR.
  virtual void tick(int64_t now_ns, RunControl& control) = 0;
  // When tick() next has something to do (monotonic ns).
  virtual int64_t next_tick_ns() const = 0;
  // Time the hook held the VM paused, up to `now_ns`: not the guest's time to hang.
  virtual int64_t paused_ns(int64_t /*now_ns*/) const { return 0; }
  // After the VM ended and the console stream is finished: findings, metrics, analysis.
  virtual void finish(RunResult& result) = 0;
};

// A hook's parsed spec section; to_json() gives it back for journals and bundles.
class HookConfig {
 public:
  virtual ~HookConfig() = default;
  virtual nlohmann::json to_json() const = 0;
  // Why a run with this section cannot be deterministic (it acts on the guest at host times), or
  // "" when it can (docs/determinism.md).
  virtual std::string host_timed() const { return ""; }
  // How many runs the section asks for (a fuzz campaign's `jobs`: one run per VM), or 0 when the
  // spec's `repeat` decides.
  virtual int runs() const { return 0; }
  // What a run with this section reads, writes or reaches on the host beyond its run folder, one
  // phrase each naming the place, leaving out paths within `own_folder` (a repro bundle's
  // folder: what came with the bundle). `osharness repro` runs a bundle with any of them only
  // on --trust (docs/trust.md).
  virtual std::vector<std::string> host_access(const std::filesystem::path& own_folder) const {
    (void)own_folder;
    return {};
  }
};

// What one run tells its hooks.
struct HookSetup {
  uint64_t seed = 0;
  int run_index = 0;
  std::filesystem::path run_folder;
  const vm::VmConfig* config = nullptr;  // of every VM of the run
  // Appends a record to the campaign journal at once (may be unset).
  std::function<void(const nlohmann::json&)> journal;
  // The run's marker schema, for a hook that reads another VM's console.
  const marker::Schema* schema = nullptr;
  // A VM of the run's backend and backend options on `config`, not yet started: for a hook
  // that runs a second VM beside the run's own (a network peer). Unset in hosts without one.
  std::function<std::unique_ptr<vm::Vm>(const vm::VmConfig& config)> make_vm;
  // The run's spec, for a hook that writes repro bundles of its own (the fuzz hook's, one per
  // crash bucket). Outlives the run.
  const Spec* spec = nullptr;
  // QEMU's waits for a host CPU over the run, for intervals between host times (markers'
  // stamps, the hook's own actions). Outlives the hook; unset in hosts without one.
  const StarvationRecord* starvation = nullptr;
};

struct RunHookInfo {
  std::string name;  // the spec section it owns
  std::string description;
  std::vector<MetricInfo> metrics;  // what finish() can add
  // `section` is the spec's value for `name`; `scale` is $OSH_SCALE. Throws osh::InputError
  // naming `origin` and the field.
  std::function<std::shared_ptr<const HookConfig>(const nlohmann::json& section,
                                                  const std::string& origin, double scale)>
      parse;
  std::function<std::unique_ptr<RunHook>(const HookConfig& config, const HookSetup& setup)> make;
};

}  // namespace osh::campaign
