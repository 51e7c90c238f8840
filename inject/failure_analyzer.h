#pragma once
// The "failure" analyzer: checks the guest's own failure-injection scenarios through their
// FAILURE markers (docs/inject.md, "The failure analyzer"): every
// FAILURE:INJECT:<scenario>:<target_id> must be followed by DETECTED:<failure_type>:<target_id> and
// RECOVERY_COMPLETE:<target_id>:success within the recovery deadline (param recovery_deadline_ms of
// the run, default 5000 ms). A DETECTED or RECOVERY for a target nobody injected is a cascading
// failure. Findings name the fault, its target and the deadline it missed. Times are the host's
// stamps of the markers, less the time QEMU waited for a host CPU between them when the run
// keeps a StarvationRecord (a live run does): a loaded host cannot miss the deadline for the guest.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/analyzer.h"

namespace osh::inject {

class FailureAnalyzer final : public campaign::Analyzer {
 public:
  explicit FailureAnalyzer(const campaign::StarvationRecord* starvation = nullptr)
      : starvation_(starvation) {}
  void on_marker(const marker::MarkerEvent& event) override;
  bool wants_lines() const override { return false; }
  void finish(campaign::RunResult& result) override;

  static campaign::AnalyzerInfo info();

 private:
  struct Fault {
    std::string scenario;
    std::string target;
    int64_t inject_ns = 0;
    std::optional<int64_t> detected_ns;
    std::string failure_type;
    std::optional<int64_t> recovery_start_ns;
    std::optional<int64_t> complete_ns;
    std::string result;  // success | timeout | whatever the guest printed
  };
  // The newest fault on `target` that has not completed, or null.
  Fault* open_fault(const std::string& target);

  std::vector<Fault> faults_;
  std::vector<std::string> cascading_;  // "DETECTED:PAGE_FAULT:7 at line 120"
  std::optional<std::string> test_result_;
  std::optional<int64_t> first_ns_;
  const campaign::StarvationRecord* starvation_;
};

}  // namespace osh::inject
