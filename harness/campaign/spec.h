#pragma once
// A campaign spec (JSON; format in docs/specs.md): what to boot, which scenario to run with
// which parameters and seed, how long to wait, and which criteria decide the verdict.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/campaign/criteria.h"
#include "harness/campaign/plugins.h"
#include "harness/vm/backend.h"

namespace osh::campaign {

struct GuestSpec {
  std::filesystem::path kernel;
  std::filesystem::path initrd;  // empty: none
  std::string memory = "64M";
  int cpus = 1;
  std::string schema = "rayos";         // "rayos" (installed next to osharness), "none", or a path
  std::string marker_prefix = "RAYOS";  // the markers' prefix under schema "none"
  std::string append;                   // extra kernel command-line words
  bool deterministic = false;           // guest time follows instructions (QEMU icount)
  // QEMU record/replay (docs/determinism.md): guest.record (--record) records every run to
  // runs/<run>/replay.bin, kept when the run fails; `repro --replay` sets replay_log (no spec
  // field) to replay one.
  bool record = false;
  std::filesystem::path replay_log;
  // The crash table read from the console (harness/oslog/formats/<name>.json), or "none".
  std::string crash_reports = "linux";
  std::string kernel_warnings = "fail";  // what a kernel WARNING makes: "fail", "crash", "ignore"
  bool ktap = false;  // read KTAP/TAP test results from the console (harness/oslog/ktap.h)
  // guest.disk.size_mib: a fresh raw image of this size per run, attached as a virtio-blk disk
  // (docs/specs.md); 0: no disk.
  uint64_t disk_mib = 0;
  std::string backend = "qemu";  // a registered VM backend (Plugins::backends)
  // The backend's own settings (for QEMU: guest.qemu), as its parse() read them.
  std::shared_ptr<const vm::BackendOptions> backend_options;
};

struct Timeouts {
  double idle_s = 10;       // no console output at all
  double heartbeat_s = 5;   // no SYS:HEARTBEAT, once the guest has sent one
  double deadline_s = 120;  // total wall-clock budget of one run
};

struct Spec {
  std::string origin;  // the file it was read from, or "command line"
  std::string name;
  std::string description;
  // Words that `osharness run --filter tag:GLOB` selects specs by ("slow", "net", "nightly").
  std::vector<std::string> tags;
  GuestSpec guest;
  std::string scenario;
  std::vector<std::pair<std::string, std::string>> params;  // in spec order
  std::optional<uint64_t> seed;                             // nullopt: a fresh random seed
  int repeat = 1;
  Timeouts timeouts;
  int expect_exit_code = 0;
  std::vector<Criterion> criteria;
  // Performance targets (same language as criteria): they decide the verdict of runs under a
  // hardware accelerator; under TCG each one is reported with its measured value, not gated.
  std::vector<Criterion> targets;
  std::vector<std::string> analyzers;
  // Parameters (and the deadline) multiplied by $OSH_SCALE: long campaigns run short in the
  // quick test suite and at full length overnight.
  std::vector<std::string> scaled_params;
  // Sections owned by run hooks ("faults": docs/inject.md), each parsed by its hook, in the
  // order the hooks are registered.
  std::vector<std::pair<std::string, std::shared_ptr<const HookConfig>>> hooks;
  // Deprecated fields read anyway, one line each, for the user to see.
  std::vector<std::string> warnings;
};

// Variables expanded in path fields: ${bindir} is the folder of the osharness binary (where
// rayos.elf is built), ${specdir} the folder of the spec file. Relative paths are relative to
// the spec file.
struct SpecContext {
  const Plugins& plugins;  // analyzers, run hooks and backends a spec may name
  std::filesystem::path bindir;
  double scale = 1.0;  // $OSH_SCALE
};

// Throws osh::InputError naming the file, the field path and the problem.
Spec load_spec(const std::filesystem::path& path, const SpecContext& context);
Spec parse_spec(const nlohmann::json& json, const std::string& origin,
                const std::filesystem::path& spec_dir, const SpecContext& context);

// The spec as JSON (resolved paths, applied scale), for journals and repro bundles; parse_spec
// of this gives the same spec back.
nlohmann::json to_json(const Spec& spec);

// $OSH_SCALE as a positive number (1 when unset); InputError when malformed.
double scale_from_environment();

// The name RunEnvironment::schema takes for the spec's schema: "none:<PREFIX>" for schema-less
// markers of that prefix, else guest.schema.
std::string schema_key(const GuestSpec& guest);

// The kernel command line for one run: osh.scenario=, osh.seed=, the params, then guest.append.
std::string kernel_command_line(const Spec& spec, uint64_t seed);

}  // namespace osh::campaign
