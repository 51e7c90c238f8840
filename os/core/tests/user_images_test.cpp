// The ELF checks over the real ring-3 programs the kernel embeds (built by os/user): each is
// accepted, has an executable entry, and no segment is both writable and executable.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "os/core/elf_image.h"
#include "os/core/syscall_abi.h"

namespace rayos {
namespace {

std::vector<std::filesystem::path> images() {
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(RAYOS_USER_IMAGES_DIR))
    if (entry.path().extension() == ".elf") found.push_back(entry.path());
  return found;
}

TEST(RayosUserImages, EveryProgramPassesTheLoadersChecks) {
  auto found = images();
  ASSERT_GE(found.size(), 10u) << "no user programs in " << RAYOS_USER_IMAGES_DIR;
  for (const auto& path : found) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    ElfImage image;
    TextBuffer error;
    ASSERT_TRUE(parse_elf(bytes.data(), bytes.size(), abi::kUserImageBase, abi::kUserImageLimit,
                          image, error))
        << path << ": " << std::string(error.view().data(), error.view().size());
    EXPECT_GE(image.segment_count, 1u) << path;
    EXPECT_EQ(image.segments[0].vaddr, abi::kUserImageBase) << path;
    for (size_t i = 0; i < image.segment_count; ++i)
      EXPECT_FALSE(image.segments[i].writable && image.segments[i].executable) << path;
  }
}

}  // namespace
}  // namespace rayos
