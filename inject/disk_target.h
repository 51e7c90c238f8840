#pragma once
// The guest disk as the fault injector sees it: the image a killed QEMU leaves behind (checked
// for the guest's acknowledged writes, inject/disk_check.h) and, when the schedule has disk_eio
// faults, the blkdebug layer QEMU puts between the disk and its image.
//
// blkdebug cannot be reconfigured at run time, but its rules can depend on a state that
// I/O events move along. The config holds a chain of states, two per disk_eio fault: healthy,
// failing (EIO on reads or on writes), healthy, failing, ... A write of zeroes to the image's
// last 512 bytes (HMP `qemu-io <drive> "write -z ..."`, an event the guest never causes:
// diskwrite leaves the last 4 KiB alone and writes no zeroes) moves to the next state, so each
// fault starts and stops with one such write. A healthy state keeps one harmless rule per I/O
// type (on the last sector only), because blkdebug keeps the active error rule until a rule of
// the current state replaces it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/vm/vm.h"
#include "inject/fault_schedule.h"

namespace osh::inject {

struct DiskTarget {
  std::filesystem::path image;  // empty: the VM has no disk
  std::string drive_id;
  uint64_t size_bytes = 0;
  bool blkdebug = false;  // disk_eio faults can be applied
};

// Picks the VM's first writable disk and, when `schedule` has disk_eio faults, wraps it in
// blkdebug with the config written to `dir`/blkdebug.conf. Throws osh::InfraError when the
// config cannot be written.
DiskTarget prepare_disk(const std::vector<ScheduledFault>& schedule,
                        const std::filesystem::path& dir, vm::VmConfig& config);

// The blkdebug config for the schedule's disk_eio faults on an image of `size_bytes`.
std::string blkdebug_config(const std::vector<ScheduledFault>& schedule, uint64_t size_bytes);

// The HMP command that moves blkdebug to its next state.
std::string blkdebug_step_command(const DiskTarget& disk);

}  // namespace osh::inject
