#include "inject/disk_target.h"

#include <fstream>

#include "harness/base/errors.h"
#include "harness/vm/qemu/qemu_argv.h"

namespace osh::inject {
namespace {

constexpr uint64_t kSector = 512;

std::string rule(int state, const char* event, const char* iotype, int64_t sector) {
  std::string text = "[inject-error]\nstate = \"" + std::to_string(state) + "\"\nevent = \"" +
                     event + "\"\niotype = \"" + iotype + "\"\nerrno = \"5\"\n";
  if (sector >= 0) text += "sector = \"" + std::to_string(sector) + "\"\n";
  return text + "\n";
}

std::string step(int from) {
  return "[set-state]\nstate = \"" + std::to_string(from) + "\"\nevent = \"pwritev_zero\"\n" +
         "new_state = \"" + std::to_string(from + 1) + "\"\n\n";
}

}  // namespace

std::string blkdebug_config(const std::vector<ScheduledFault>& schedule, uint64_t size_bytes) {
  const int64_t last = static_cast<int64_t>(size_bytes / kSector) - 1;
  // blkdebug numbers states from 1.
  std::string config =
      "# written by osharness (inject/disk_target.h): 2 states per disk_eio fault\n\n";
  int state = 1;
  const auto healthy = [&] {
    config += rule(state, "read_aio", "read", last) + rule(state, "write_aio", "write", last);
  };
  healthy();
  for (const auto& f : schedule) {
    if (f.type != FaultType::DiskEio) continue;
    config += step(state++);
    const bool read = f.op == "read";
    config += rule(state, read ? "read_aio" : "write_aio", read ? "read" : "write", -1);
    config += step(state++);
    healthy();
  }
  return config;
}

std::string blkdebug_step_command(const DiskTarget& disk) {
  return "qemu-io " + disk.drive_id + " \"write -z " + std::to_string(disk.size_bytes - kSector) +
         " " + std::to_string(kSector) + "\"";
}

DiskTarget prepare_disk(const std::vector<ScheduledFault>& schedule,
                        const std::filesystem::path& dir, vm::VmConfig& config) {
  DiskTarget disk;
  for (size_t i = 0; i < config.drives.size(); ++i) {
    vm::Drive& drive = config.drives[i];
    if (drive.read_only) continue;
    std::error_code ec;
    disk.image = drive.image;
    disk.drive_id = vm::qemu::drive_id(drive, i);
    disk.size_bytes = std::filesystem::file_size(drive.image, ec);
    if (ec)
      throw InfraError("cannot size the disk image " + drive.image.string() + ": " + ec.message());
    bool eio = false;
    for (const auto& f : schedule) eio = eio || f.type == FaultType::DiskEio;
    if (eio && disk.size_bytes >= 2 * kSector) {
      const auto path = dir / "blkdebug.conf";
      std::ofstream out(path);
      out << blkdebug_config(schedule, disk.size_bytes);
      out.close();
      if (!out) throw InfraError("cannot write the blkdebug config " + path.string());
      drive.blkdebug_config = path;
      disk.blkdebug = true;
    }
    break;
  }
  return disk;
}

}  // namespace osh::inject
