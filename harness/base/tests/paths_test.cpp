#include "harness/base/paths.h"

#include <gtest/gtest.h>

#include "harness/base/testing/temp_dir.h"

namespace osh {
namespace {

TEST(PathWithin, PathsUnderTheFolderAfterDotsAndSymlinks) {
  test_support::TempDir dir;
  const auto folder = dir.path() / "bundle";
  std::filesystem::create_directories(folder / "sub");
  std::filesystem::create_directories(dir.path() / "elsewhere");
  EXPECT_TRUE(path_within(folder, folder));
  EXPECT_TRUE(path_within(folder / "sub" / "input", folder));
  EXPECT_TRUE(path_within(folder / "not-yet" / "made", folder));
  EXPECT_TRUE(path_within(folder / "sub", folder.string() + "/"));
  EXPECT_FALSE(path_within(folder / ".." / "elsewhere", folder));
  EXPECT_FALSE(path_within(dir.path() / "bundle-other", folder));
  EXPECT_FALSE(path_within(dir.path(), folder));
  EXPECT_FALSE(path_within("/etc/passwd", folder));
  std::filesystem::create_directory_symlink(dir.path() / "elsewhere", folder / "link");
  EXPECT_FALSE(path_within(folder / "link" / "key", folder));
}

}  // namespace
}  // namespace osh
