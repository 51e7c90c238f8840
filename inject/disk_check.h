#pragma once
// Holds a guest to the writes it acknowledged (DISK:ACK:<block>:<generation>, the diskwrite
// scenario): after QEMU was killed, every acknowledged block must be on the image as a good
// block of the run (os/core/disk_pattern) of at least that generation — a newer one is a write
// that landed before the kill but whose acknowledgement never got out.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace osh::inject {

struct DiskCheck {
  uint64_t checked = 0;           // blocks with an acknowledged write
  std::vector<std::string> lost;  // "block 7: acknowledged generation 12, image has bad_crc"
};

// `acked`: block -> newest acknowledged generation. Throws osh::InfraError when the image
// cannot be read.
DiskCheck check_acked_writes(const std::filesystem::path& image, uint64_t seed,
                             const std::map<uint64_t, uint32_t>& acked);

}  // namespace osh::inject
