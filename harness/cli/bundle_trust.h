#pragma once
// A repro bundle is code: its spec chooses the kernel, and its `guest.qemu.args` go to QEMU
// verbatim, where `-serial file:/home/you/.bashrc` writes a host file and `-drive file=...` reads
// one. So `osharness repro` shows what a bundle will run, and runs QEMU arguments beyond the
// harness's own only when told to trust the bundle (--trust) or when each is on the user's
// allow-list (docs/trust.md).
#include <filesystem>
#include <string>
#include <vector>

#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/spec.h"

namespace osh::cli {

// Where the allow-list is: $XDG_CONFIG_HOME/osharness/trusted-qemu-args, else
// ~/.config/osharness/trusted-qemu-args.
std::filesystem::path trusted_qemu_args_file();

// The allow-list: one QEMU argument per line, matched exactly; blank lines and lines starting
// with '#' are skipped. Empty when the file is missing.
std::vector<std::string> read_trusted_qemu_args(const std::filesystem::path& file);

// The spec's QEMU arguments beyond the harness's own that are not on `allowed`, in order.
std::vector<std::string> untrusted_qemu_args(const campaign::Spec& spec,
                                             const std::vector<std::string>& allowed);

// What the spec's run hooks and backend read, write or reach on the host beyond the run folder
// (HookConfig::host_access, BackendOptions::host_access), paths within `bundle_folder` left out.
std::vector<std::string> host_access(const campaign::Spec& spec,
                                     const std::filesystem::path& bundle_folder);

// What the rerun will run, one line each, escaped for a terminal: the kernel (and whether it
// is the image of the failure), initrd, scenario, seed, parameters, the kernel command line
// the extra QEMU arguments and the host access (above).
std::vector<std::string> describe_rerun(const campaign::Spec& spec,
                                        const campaign::ReproBundle& bundle,
                                        const std::string& current_sha256,
                                        const std::vector<std::string>& access);

}  // namespace osh::cli
