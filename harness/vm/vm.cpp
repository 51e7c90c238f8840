#include "harness/vm/vm.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "harness/base/errors.h"
#include "harness/base/unique_fd.h"

namespace osh::vm {

std::string drive_id(const Drive& drive, size_t index) {
  return drive.id.empty() ? "drive" + std::to_string(index) : drive.id;
}

std::optional<uint64_t> memory_mib(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  const std::string_view digits = text.substr(0, text.size() - 1);
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.front() == '0') {
    return std::nullopt;
  }
  if (unit != 'M' && unit != 'G') return std::nullopt;
  if (value > kMaxMemoryMiB) return kMaxMemoryMiB + 1;  // out of range either way
  return unit == 'G' ? value * 1024 : value;
}

std::string memory_size_problem(std::string_view text) {
  const auto mib = memory_mib(text);
  if (!mib) return "not a memory size; use a number with M or G, like 64M";
  if (*mib < kMinMemoryMiB || *mib > kMaxMemoryMiB) return "out of range; use 8M to 1024G";
  return "";
}

std::filesystem::path create_disk_image(const std::filesystem::path& dir, uint64_t size_mib) {
  std::string folder = (dir / "disk-XXXXXX").string();
  if (::mkdtemp(folder.data()) == nullptr)  // mode 0700
    throw InfraError(
        errno_message("cannot create a private folder for the disk image " + folder, errno));
  const std::filesystem::path image = std::filesystem::path(folder) / "disk.img";
  UniqueFd fd(::open(image.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) throw InfraError(errno_message("cannot create the disk image " + image.string(), errno));
  // ftruncate leaves a hole: no block is allocated until the guest writes it.
  if (::ftruncate(fd.get(), static_cast<off_t>(size_mib) << 20) != 0)
    throw InfraError(errno_message(
        "cannot size the disk image " + image.string() + " to " + std::to_string(size_mib) + " MiB",
        errno));
  return image;
}

}  // namespace osh::vm
