#include "harness/base/private_files.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh {
namespace {

mode_t mode_of(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// umask 0 would give 0777 folders and 0666 files to anything that trusts it.
class PrivateFiles : public ::testing::Test {
 protected:
  PrivateFiles() : old_umask_(::umask(0)) {}
  ~PrivateFiles() override { ::umask(old_umask_); }
  test_support::TempDir dir_;
  mode_t old_umask_;
};

TEST_F(PrivateFiles, FoldersAre0700WhateverTheUmaskAndWhetherTheyExisted) {
  const auto nested = dir_.path() / "out" / "runs";
  make_private_directory(nested);
  EXPECT_EQ(mode_of(nested), 0700u);
  ASSERT_EQ(::chmod(nested.c_str(), 0755), 0);
  make_private_directory(nested);
  EXPECT_EQ(mode_of(nested), 0700u);
  EXPECT_THROW(make_private_directory("/proc/osh-no-such/x"), InfraError);
}

TEST_F(PrivateFiles, FilesAre0600WhateverTheUmaskAndWhetherTheyExisted) {
  const auto log = dir_.path() / "console.log";
  int fd = open_private_file(log, O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0);
  ::close(fd);
  EXPECT_EQ(mode_of(log), 0600u);
  ASSERT_EQ(::chmod(log.c_str(), 0644), 0);
  fd = open_private_file(log, O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  ::close(fd);
  EXPECT_EQ(mode_of(log), 0600u);
  EXPECT_EQ(open_private_file(dir_.path() / "no" / "x.log", O_WRONLY), -1);
  EXPECT_EQ(errno, ENOENT);
}

}  // namespace
}  // namespace osh
