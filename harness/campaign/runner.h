#pragma once
// Runs one run of a spec (one seed): prepares its folder, log and VM, streams the console
// through the marker parser into the observers (watchdog, crash detector, lifecycle, analyzers,
// run hooks), stops the VM when it ends or a limit passes, judges the result and, for a failure,
// writes a repro bundle. Never throws for a problem of the run: those become its verdict
// (INFRA_ERROR when the host could not run it).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "harness/campaign/plugins.h"
#include "harness/campaign/run_result.h"
#include "harness/campaign/spec.h"
#include "harness/campaign/start_gate.h"
#include "harness/marker/schema.h"
#include "harness/vm/vm.h"

namespace osh::campaign {

// The QEMU record/replay log of a recorded run, in its folder beside repro.json.
inline constexpr const char* kReplayLog = "replay.bin";

// Live progress of a run, for the terminal.
struct RunProgress {
  int index = 0;
  std::string name;
  uint64_t seed = 0;
  double elapsed_s = 0;
  uint64_t markers = 0;
  uint64_t lines = 0;
};

struct RunEnvironment {
  // Analyzers, run hooks and VM backends, by the names specs use. Required.
  const Plugins* plugins = nullptr;
  // The schema a spec names ("rayos", "none" or a path); throws InputError.
  std::function<const marker::Schema&(const std::string& name)> schema;
  // Set (to the signal number) when the harness was told to stop; `wake_fd` then reads ready.
  const std::atomic<int>* stop_signal = nullptr;
  int wake_fd = -1;
  // Called about five times a second while a run is going.
  std::function<void(const RunProgress&)> progress;
  // Appends a record to the campaign journal as it happens (fault injection); may be called
  // from several runs at once. Unset: nothing is journalled before the run ends.
  std::function<void(const nlohmann::json&)> journal;
  // Bounds how many VMs start at once; unset: no bound.
  StartGate* start_gate = nullptr;
};

struct RunPlan {
  const Spec* spec = nullptr;
  uint64_t seed = 0;
  int index = 0;
  std::filesystem::path out_dir;  // the campaign's output folder
  int repeat = 0;                 // of the spec's `repeats`
  int repeats = 1;
};

RunResult run_one(const RunPlan& plan, RunEnvironment& env);

// The folder of one run's artefacts inside the output folder: runs/003-fault-s42.
std::filesystem::path run_folder(const RunPlan& plan);

}  // namespace osh::campaign
