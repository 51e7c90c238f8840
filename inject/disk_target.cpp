#include "inject/disk_target.h"

namespace osh::inject {

DiskTarget pick_disk(const std::vector<ScheduledFault>& schedule, const vm::VmConfig& config) {
  DiskTarget disk;
  for (size_t i = 0; i < config.drives.size(); ++i) {
    const vm::Drive& drive = config.drives[i];
    if (drive.read_only) continue;
    disk.image = drive.image;
    disk.drive_id = vm::drive_id(drive, i);
    for (const auto& f : schedule) disk.errors = disk.errors || f.type == FaultType::DiskEio;
    break;
  }
  return disk;
}

}  // namespace osh::inject
