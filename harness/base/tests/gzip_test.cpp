#include "harness/base/gzip.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh {
namespace {

using ::testing::HasSubstr;

void write(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string console_bytes() {
  std::string s;
  for (int i = 0; i < 20000; ++i)
    s += "RAYOS_SYS:HEARTBEAT:" + std::to_string(i * 7) + " #" + std::to_string(i) + "\n";
  s += std::string("\0\xff\x1b[2J no newline at the end", 27);
  return s;
}

TEST(Gzip, CompressesAndReadsBackTheSameBytes) {
  test_support::TempDir dir;
  const auto log = dir.path() / "console.log", gz = dir.path() / "console.log.gz";
  const std::string bytes = console_bytes();
  write(log, bytes);
  gzip_file(log, gz);
  EXPECT_FALSE(std::filesystem::exists(log));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "console.log.gz.tmp"));
  EXPECT_TRUE(is_gzip_file(gz));
  EXPECT_EQ(std::filesystem::status(gz).permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_LT(std::filesystem::file_size(gz), bytes.size() / 4);
  EXPECT_EQ(read_maybe_gzip(gz), bytes);
  EXPECT_EQ(read_maybe_gzip(gz, 10), bytes.substr(0, 10));
  EXPECT_EQ(existing_or_gz(log), gz);
}

TEST(Gzip, APlainFileReadsAsItIs) {
  test_support::TempDir dir;
  const auto log = dir.path() / "console.log";
  write(log, console_bytes());
  EXPECT_FALSE(is_gzip_file(log));
  EXPECT_EQ(read_maybe_gzip(log), console_bytes());
  EXPECT_EQ(existing_or_gz(log), log);
  write(dir.path() / "empty", "");
  EXPECT_EQ(read_maybe_gzip(dir.path() / "empty"), "");
}

TEST(Gzip, ADamagedOrCutFileIsAnErrorNamingIt) {
  test_support::TempDir dir;
  const auto log = dir.path() / "console.log", gz = dir.path() / "console.log.gz";
  write(log, console_bytes());
  gzip_file(log, gz);
  std::ifstream in(gz, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  const std::string compressed = all.str();
  write(dir.path() / "cut.gz", compressed.substr(0, compressed.size() / 2));
  try {
    read_maybe_gzip(dir.path() / "cut.gz");
    ADD_FAILURE() << "a cut .gz file read without an error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr((dir.path() / "cut.gz").string() + ": cannot read it"));
  }
  std::string damaged = compressed;
  for (size_t i = 20; i < 60; ++i) damaged[i] = static_cast<char>(~damaged[i]);
  write(dir.path() / "damaged.gz", damaged);
  EXPECT_THROW(read_maybe_gzip(dir.path() / "damaged.gz"), InputError);
  EXPECT_THROW(read_maybe_gzip(dir.path() / "missing"), InputError);
}

TEST(Gzip, AFailedCompressionLeavesTheLogAsItWas) {
  test_support::TempDir dir;
  const auto log = dir.path() / "console.log";
  write(log, "line\n");
  EXPECT_THROW(gzip_file(log, dir.path() / "no-such-folder" / "console.log.gz"), InfraError);
  EXPECT_EQ(read_maybe_gzip(log), "line\n");
}

}  // namespace
}  // namespace osh
