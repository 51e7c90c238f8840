#pragma once
// Every source of determinism QEMU has, in one place for every backend that runs QEMU (the QEMU
// backend's argv, the libvirt backend's <qemu:commandline>): instruction counting with a fixed
// shift, the RTC on the virtual clock from a fixed date, QEMU's PRNG seeded, and record/replay.
#include <string>
#include <vector>

#include "harness/vm/vm.h"

namespace osh::vm {

// The date the RTC of every deterministic VM starts from.
inline constexpr const char* kDeterministicRtcBase = "2024-01-01T00:00:00";

// QEMU arguments for `config` (none unless config.deterministic).
std::vector<std::string> deterministic_qemu_args(const VmConfig& config);

// Throws osh::InputError naming the field when `config` asks for what cannot be deterministic:
// more than one vCPU, record/replay without deterministic mode or without a log.
void validate_determinism(const VmConfig& config);

}  // namespace osh::vm
