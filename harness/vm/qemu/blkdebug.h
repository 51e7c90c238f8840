#pragma once
// QEMU's blkdebug driver as a DiskErrors window chain. blkdebug cannot be reconfigured at run
// time, but its rules can depend on a state that I/O events move along. The config holds a
// chain of states, two per window: healthy, failing (EIO on reads or on writes), healthy,
// failing, ... A write of zeroes to the image's last 512 bytes (HMP `qemu-io <drive> "write -z
// ..."`, an event the guest never causes: rayos' diskwrite leaves the last 4 KiB alone and
// writes no zeroes) moves to the next state, so each window opens and closes with one such
// write. A healthy state keeps one harmless rule per I/O type (on the last sector only), because
// blkdebug keeps the active error rule until a rule of the current state replaces it.
#include <cstdint>
#include <string>
#include <vector>

#include "harness/vm/vm.h"

namespace osh::vm::qemu {

// The config for `windows` on an image of `size_bytes` (at least two sectors).
std::string blkdebug_config(const std::vector<DiskErrors::Op>& windows, uint64_t size_bytes);

// The HMP command that moves the chain of drive `drive_id` to its next state.
std::string blkdebug_step_command(const std::string& drive_id, uint64_t size_bytes);

}  // namespace osh::vm::qemu
