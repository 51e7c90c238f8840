#pragma once
// Finds crashes (docs/specs.md, "Verdicts"): a SYS:PANIC marker with its SYS:FRAME lines
// (symbolized from the guest ELF), a guest that reset itself (triple fault, seen as QMP SHUTDOWN
// "guest-reset" under -no-reboot), QEMU dying by a signal or an error, a VM that ended unannounced
// where the backend hides QEMU's status; and checks the guest's exit code (isa-debug-exit, else
// SYS:EXIT).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/run_result.h"
#include "harness/campaign/symbolizer.h"
#include "harness/marker/marker_stream.h"
#include "harness/vm/vm.h"

namespace osh::campaign {

// "name+0x12" -> "name": signatures and failure groups must not change when code moves.
std::string function_of(const std::string& symbol);

class CrashDetector : public marker::MarkerObserver {
 public:
  // `symbolizer` may be null (no ELF symbols): frames are then reported as bare addresses.
  CrashDetector(const Symbolizer* symbolizer, int expected_exit_code);

  void on_marker(const marker::MarkerEvent& event) override;

  // Adds crash info and findings once the VM has ended. `exit` is null when the harness
  // stopped the VM (watchdog, interruption): then only what the guest printed counts.
  void finish(const vm::VmExit* exit, RunResult& result) const;

 private:
  const Symbolizer* symbolizer_;
  int expected_exit_code_;
  std::optional<CrashInfo> panic_;
  std::optional<int> exit_marker_code_;
};

// ExitInfo for the report from a backend's VmExit.
ExitInfo exit_info(const vm::VmExit& exit);

}  // namespace osh::campaign
