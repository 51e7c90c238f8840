#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "inject/disk_check.h"
#include "os/core/disk_pattern.h"

namespace osh::inject {
namespace {

using ::testing::HasSubstr;
namespace dp = rayos::disk_pattern;
namespace fs = std::filesystem;

class DiskCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("osh-disk-check-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    image_ = dir_ / "disk.img";
    std::ofstream(image_).close();
    fs::resize_file(image_, 16 * dp::kBlockSize);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_block(uint64_t block, uint32_t generation, uint64_t seed) {
    std::vector<uint64_t> data(dp::kBlockSize / 8);
    dp::fill(data.data(), block, generation, seed);
    std::fstream f(image_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(block * dp::kBlockSize));
    f.write(reinterpret_cast<const char*>(data.data()), dp::kBlockSize);
  }

  fs::path dir_, image_;
};

TEST_F(DiskCheckTest, EveryAcknowledgedWriteThereIsNoLoss) {
  write_block(0, 3, 42);
  write_block(5, 1, 42);
  write_block(6, 9, 42);  // newer than acknowledged: landed, its ACK did not get out
  const auto check = check_acked_writes(image_, 42, {{0, 3}, {5, 1}, {6, 8}});
  EXPECT_EQ(check.checked, 3u);
  EXPECT_TRUE(check.lost.empty()) << check.lost.front();
}

TEST_F(DiskCheckTest, MissingStaleTornAndForeignBlocksAreLost) {
  write_block(1, 4, 42);
  write_block(2, 1, 42);
  write_block(3, 1, 7);  // another run's block
  {
    std::fstream f(image_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(2 * dp::kBlockSize + 100));
    f.put('\x55');  // torn
  }
  const auto check = check_acked_writes(image_, 42, {{0, 1}, {1, 5}, {2, 1}, {3, 1}});
  EXPECT_EQ(check.checked, 4u);
  EXPECT_THAT(check.lost,
              ::testing::ElementsAre(
                  "block 0: acknowledged generation 1, the image has never_written",
                  "block 1: acknowledged generation 5, the image has the older generation 4",
                  "block 2: acknowledged generation 1, the image has bad_crc",
                  "block 3: acknowledged generation 1, the image has wrong_seed"));
}

}  // namespace
}  // namespace osh::inject
