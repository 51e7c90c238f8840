#include "harness/vm/qemu/blkdebug.h"

namespace osh::vm::qemu {
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

std::string blkdebug_config(const std::vector<DiskErrors::Op>& windows, uint64_t size_bytes) {
  const int64_t last = static_cast<int64_t>(size_bytes / kSector) - 1;
  // blkdebug numbers states from 1.
  std::string config =
      "# written by osharness (harness/vm/qemu/blkdebug.h): 2 states per window\n\n";
  int state = 1;
  const auto healthy = [&] {
    config += rule(state, "read_aio", "read", last) + rule(state, "write_aio", "write", last);
  };
  healthy();
  for (const auto op : windows) {
    config += step(state++);
    const bool read = op == DiskErrors::Op::Read;
    config += rule(state, read ? "read_aio" : "write_aio", read ? "read" : "write", -1);
    config += step(state++);
    healthy();
  }
  return config;
}

std::string blkdebug_step_command(const std::string& drive_id, uint64_t size_bytes) {
  return "qemu-io " + drive_id + " \"write -z " + std::to_string(size_bytes - kSector) + " " +
         std::to_string(kSector) + "\"";
}

}  // namespace osh::vm::qemu
