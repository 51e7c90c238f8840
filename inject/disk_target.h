#pragma once
// The guest disk as the fault injector sees it: the image a killed VM leaves behind (checked for
// the guest's acknowledged writes, inject/disk_check.h) and the drive that disk_eio faults make
// fail, through the VM's DiskErrors capability.
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
  bool errors = false;  // the schedule has disk_eio faults for this disk
};

// The VM's first writable disk, and whether `schedule` injects errors into it.
DiskTarget pick_disk(const std::vector<ScheduledFault>& schedule, const vm::VmConfig& config);

}  // namespace osh::inject
