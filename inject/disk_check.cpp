#include "inject/disk_check.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "harness/base/errors.h"
#include "harness/base/unique_fd.h"
#include "os/core/disk_pattern.h"

namespace osh::inject {

DiskCheck check_acked_writes(const std::filesystem::path& image, uint64_t seed,
                             const std::map<uint64_t, uint32_t>& acked) {
  namespace dp = rayos::disk_pattern;
  UniqueFd fd(::open(image.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw InfraError(errno_message("cannot read the disk image " + image.string(), errno));
  DiskCheck result;
  std::vector<uint64_t> words(dp::kBlockSize / 8);
  for (const auto& entry : acked) {
    // Plain variables, not a structured binding: clang 14 cannot capture those in a lambda.
    const uint64_t block = entry.first;
    const uint32_t generation = entry.second;
    ++result.checked;
    const auto lost = [&](const std::string& what) {
      result.lost.push_back("block " + std::to_string(block) + ": acknowledged generation " +
                            std::to_string(generation) + ", the image has " + what);
    };
    const ssize_t n =
        ::pread(fd.get(), words.data(), dp::kBlockSize, static_cast<off_t>(block * dp::kBlockSize));
    if (n != static_cast<ssize_t>(dp::kBlockSize)) {
      if (n < 0)
        throw InfraError(errno_message("cannot read the disk image " + image.string(), errno));
      lost("only " + std::to_string(n) + " bytes there");
      continue;
    }
    const dp::Check check = dp::verify(words.data(), block, 0, seed);
    if (check != dp::Check::kOk) {
      lost(dp::check_name(check));
      continue;
    }
    const auto* header = reinterpret_cast<const dp::Header*>(words.data());
    if (header->generation < generation)
      lost("the older generation " + std::to_string(header->generation));
  }
  return result;
}

}  // namespace osh::inject
