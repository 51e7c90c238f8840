#pragma once
// A repro bundle: everything needed to rerun one failed run and check that the same
// failure comes back — the spec with its seed fixed, the guest image and its SHA-256, the exact
// VM command line, the harness version, the console log and the failure signature.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/campaign/run_result.h"
#include "harness/campaign/spec.h"

namespace osh::campaign {

struct ReproBundle {
  static constexpr int kVersion = 2;  // 1 had an always-empty fault_schedule instead of hooks
  std::string harness_version;
  nlohmann::json spec;  // to_json(Spec), repeat 1, seed fixed
  uint64_t seed = 0;
  std::string kernel_path;
  std::string kernel_sha256;
  std::string initrd_path;  // empty: the run had no initrd
  std::string initrd_sha256;
  std::vector<std::string> command_line;
  // What each run hook recorded of the run (its analysis entry: for "faults", the schedule with
  // the times each fault was applied), by hook name.
  nlohmann::json hooks = nlohmann::json::object();
  std::string console_log;   // path relative to the bundle's folder
  std::string console_tail;  // last lines, escaped, so the bundle reads on its own
  Verdict verdict = Verdict::Fail;
  std::string reason;
  std::string signature;
};

ReproBundle make_bundle(const Spec& spec, const RunResult& run,
                        const std::filesystem::path& console_log,
                        const std::filesystem::path& bundle_dir);
void write_bundle(const ReproBundle& bundle, const std::filesystem::path& path);
// InputError naming the file and field when the bundle is malformed.
ReproBundle read_bundle(const std::filesystem::path& path);

// The last `max_bytes` of a file (cut at a line start), escaped for display.
std::string console_tail(const std::filesystem::path& path, size_t max_bytes);
// console_tail of a run's console log as a journal records it (relative to `out_dir`), read only
// when it lies inside `out_dir`: a journal is anyone's file, and "../../home/you/.ssh/id_ed25519"
// or a link out of the folder must not end up in a report. "" otherwise.
std::string run_console_tail(const std::string& console_log, const std::filesystem::path& out_dir,
                             size_t max_bytes);

}  // namespace osh::campaign
