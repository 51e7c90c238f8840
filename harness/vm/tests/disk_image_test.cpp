#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "harness/base/errors.h"
#include "harness/vm/qemu/run_dir.h"
#include "harness/vm/vm.h"

namespace osh::vm {
namespace {

namespace fs = std::filesystem;

TEST(DiskImage, IsPrivateSparseAndOfTheRequestedSize) {
  const auto scratch = qemu::RunDir::create("disk-test", "/tmp");
  const fs::path image = create_disk_image(scratch.path(), 64);
  EXPECT_EQ(image.filename(), "disk.img");
  EXPECT_EQ(image.parent_path().parent_path(), scratch.path());
  struct stat st {};
  ASSERT_EQ(::stat(image.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 64 << 20);
  EXPECT_LT(st.st_blocks * 512, 1 << 20) << "the image is not sparse";
  ASSERT_EQ(::stat(image.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  // Every call gets a fresh image, never an existing file.
  const fs::path second = create_disk_image(scratch.path(), 1);
  EXPECT_NE(second, image);
  std::ifstream in(second, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(bytes, std::string(1 << 20, '\0'));
}

TEST(DiskImage, AnUnwritableFolderIsAnInfraErrorNamingIt) {
  try {
    create_disk_image("/nonexistent-osh-dir", 1);
    FAIL() << "no error";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("/nonexistent-osh-dir/disk-"));
  }
}

}  // namespace
}  // namespace osh::vm
