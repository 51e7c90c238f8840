#pragma once
// Chooses TCG or KVM by measuring, never by /dev/kvm existing: on some hosts (nested or
// emulated virtualisation) KVM is hundreds of times slower than TCG. A tiny probe kernel
// (probe/accel_probe.S, built as build/bin/osh-accel-probe.elf) runs a fixed integer loop under
// TCG, then under KVM when /dev/kvm opens read-write, with a time limit of max(3 x TCG, 1 s) so
// that a slow KVM costs at most that. The faster wins. The decision and both figures are cached
// per QEMU binary (path + mtime) and host boot (boot_id), so a host measures once per boot.
// OSH_ACCEL=tcg|kvm skips all of this.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "harness/vm/qemu/qemu_options.h"
#include "harness/vm/vm.h"

namespace osh::vm::qemu {

struct AccelProbeResult {
  Accel chosen = Accel::Tcg;
  std::optional<double> tcg_ms;  // probe run time, QEMU spawn to exit
  std::optional<double> kvm_ms;
  std::string kvm_note;  // why kvm_ms is missing: not tried (and why), timed out, failed
  bool cached = false;
  std::string reason;  // one line for reports: what was chosen and on what evidence
};

struct AccelProbeOptions {
  std::filesystem::path qemu;          // empty: find_qemu()
  std::filesystem::path probe_kernel;  // osh-accel-probe.elf
  std::filesystem::path cache_file;    // empty: no cache
  std::filesystem::path kvm_device = "/dev/kvm";
  std::filesystem::path boot_id_file = "/proc/sys/kernel/random/boot_id";
  std::string override_accel;  // "tcg" / "kvm" / empty (measure)
};

// The defaults for this process: the probe kernel next to the running executable, the cache
// at $XDG_CACHE_HOME/osharness/accel.json (else ~/.cache/osharness/accel.json), $OSH_ACCEL.
AccelProbeOptions default_accel_probe_options();

// Throws osh::InputError for a bad override, osh::InfraError when even TCG cannot run the probe.
AccelProbeResult choose_accel(const AccelProbeOptions& options);

// choose_accel(default_accel_probe_options()), measured once per process (runs on several
// threads share it).
AccelProbeResult measured_accel();

// One run of the probe kernel under `accel`. `ms` is set when it completed within `limit`
// and printed the right checksum; otherwise `failure` says what happened.
struct ProbeRun {
  std::optional<double> ms;
  std::string failure;
};
ProbeRun run_accel_probe(const std::filesystem::path& qemu, const std::filesystem::path& kernel,
                         Accel accel, std::chrono::milliseconds limit);

// xorshift32 (13, 17, 5) from 1, `iterations` steps: what the probe kernel must print.
uint32_t probe_checksum(uint32_t iterations);

}  // namespace osh::vm::qemu
