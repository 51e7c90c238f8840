#pragma once
// Everything one run produced: its verdict and reasons, what was measured, and where its
// artefacts are. One RunResult is one journal record and one entry of report.json's runs[]
// (docs/report-json.md documents every field); reports are regenerated from these alone.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/campaign/criteria.h"
#include "harness/campaign/verdict.h"
#include "harness/marker/marker_stream.h"

namespace osh::campaign {

// One reason for a verdict. `signature` is the stable part (no times, no addresses) that
// `osharness repro` compares: "CRASH PAGE_FAULT rayos_fault_null_dereference".
struct Finding {
  Verdict verdict = Verdict::Fail;
  std::string reason;
  std::string signature;
};

// The signature of a run the harness's stop signal cut short: its verdict is not the guest's, so
// `run --resume` runs it again.
inline constexpr std::string_view kInterruptedSignature = "INFRA_ERROR interrupted";

struct Frame {
  int index = 0;
  uint64_t address = 0;
  std::string symbol;  // "function+0x1a", or empty when not symbolized
};

struct CrashInfo {
  std::string kind;    // PANIC kind (PAGE_FAULT, ...), "TRIPLE_FAULT", "QEMU_SIGNAL", ...
  std::string detail;  // as printed by the guest, escaped
  std::vector<Frame> frames;
};

// A test reported by the guest itself (TEST:START/PASS/FAIL markers), one JUnit testcase each.
struct GuestTest {
  std::string name;
  Verdict verdict = Verdict::Pass;
  std::string reason;
  double duration_ms = 0;
  bool skipped = false;  // not run (a KTAP "# SKIP"): JUnit <skipped>, verdict Pass
};

struct ExitInfo {
  // "exited", "ended" (by itself, status not visible: libvirt), "signaled", "killed" (by the
  // harness), "not started"
  std::string how;
  int status = 0;
  int signal = 0;
  std::optional<int> guest_exit_code;
  std::string shutdown_reason;
};

struct RunResult {
  // Identity.
  int index = 0;  // position in the campaign, from 0
  std::string name;
  // Which repeat of its spec this run is (from 0) out of how many: with the spec's name, the
  // run's identity from one night to the next (seeds change; indexes move when specs are added).
  int repeat = 0;
  int repeats = 1;
  std::string scenario;
  std::vector<std::pair<std::string, std::string>> params;
  uint64_t seed = 0;
  std::string spec_origin;
  int64_t started_unix_ms = 0;

  // Outcome.
  Verdict verdict = Verdict::Pass;
  std::string reason;     // the first finding of the verdict, or "all checks passed"
  std::string signature;  // that finding's signature, "PASS" when passed
  std::vector<Finding> findings;

  // Measurements.
  std::optional<double> boot_ms;      // spawn to BOOT:READY, the VM's waits for a host CPU out
  std::optional<double> boot_ms_raw;  // the same in wall time, those waits in
  double duration_ms = 0;             // spawn to end
  marker::MarkerCounts markers;
  std::vector<marker::LineProblem> problems;
  ExitInfo exit;
  std::optional<CrashInfo> crash;
  std::vector<CriterionResult> criteria;
  std::map<std::string, double> metrics;
  std::vector<GuestTest> guest_tests;
  nlohmann::json analysis = nlohmann::json::object();  // per-analyzer data for the reports
  double deadline_extension_s = 0;                     // added because QEMU was starved of CPU

  // Environment and artefacts (paths relative to the output folder).
  // Deterministic mode (docs/determinism.md): whether the run was deterministic, and why not when
  // its spec asked for it ("faults are applied at host wall-clock times").
  bool deterministic = false;
  std::string determinism;
  std::string accel;
  std::string accel_reason;
  std::string marker_prefix;  // the schema's, e.g. "RAYOS"; empty if the run never loaded one
  std::vector<std::string> command_line;
  std::string console_log;
  std::string repro_bundle;
};

nlohmann::json to_json(const RunResult& run);
// InputError naming `origin` when a required field is missing or has the wrong type.
RunResult run_result_from_json(const nlohmann::json& json, const std::string& origin);
inline bool interrupted_by_a_stop(const RunResult& run) {
  return run.signature == kInterruptedSignature;
}

}  // namespace osh::campaign
