#include "harness/base/atomic_write.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "harness/base/errors.h"

namespace osh {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class AtomicWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("osh_atomic_write_test." + std::to_string(::getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Every entry of the folder: a leftover temporary file shows up here.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

TEST_F(AtomicWrite, CreatesAndReplacesWithoutLeavingTemporaryFiles) {
  atomic_write(dir_ / "report.json", "first\n");
  EXPECT_EQ(read(dir_ / "report.json"), "first\n");
  atomic_write(dir_ / "report.json", [](std::ostream& out) { out << "second " << 2 << '\n'; });
  EXPECT_EQ(read(dir_ / "report.json"), "second 2\n");
  EXPECT_EQ(entries(), std::vector<std::string>{"report.json"});
}

TEST_F(AtomicWrite, WritesEmptyAndBinaryContent) {
  atomic_write(dir_ / "empty", "");
  EXPECT_EQ(read(dir_ / "empty"), "");
  const std::string bytes("a\0b\xff", 4);
  atomic_write(dir_ / "bytes", bytes);
  EXPECT_EQ(read(dir_ / "bytes"), bytes);
}

TEST_F(AtomicWrite, NewFilesFollowTheUmask) {
  const mode_t old = ::umask(027);
  atomic_write(dir_ / "summary.md", "x");
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "summary.md").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(AtomicWrite, AMissingFolderIsAnInfraErrorNamingThePath) {
  const auto path = dir_ / "no-such-folder" / "junit.xml";
  try {
    atomic_write(path, "x");
    FAIL() << "no error";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot write " + path.string()));
    EXPECT_THAT(e.what(), HasSubstr("No such file or directory"));
  }
}

TEST_F(AtomicWrite, AFailedRenameLeavesTheTargetAndNoTemporaryFile) {
  // A non-empty folder cannot be replaced by a file.
  fs::create_directories(dir_ / "busy" / "inside");
  EXPECT_THROW(atomic_write(dir_ / "busy", "x"), InfraError);
  EXPECT_TRUE(fs::is_directory(dir_ / "busy" / "inside"));
  EXPECT_EQ(entries(), std::vector<std::string>{"busy"});
}

TEST_F(AtomicWrite, AnExceptionWhileProducingTheContentWritesNothing) {
  atomic_write(dir_ / "bundle.json", "old");
  EXPECT_THROW(
      atomic_write(dir_ / "bundle.json", [](std::ostream&) { throw InputError("bad run record"); }),
      InputError);
  EXPECT_EQ(read(dir_ / "bundle.json"), "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"bundle.json"});
}

// Reports and bundles: 0600 whatever the umask, one that would open them to others (022, 0) or
// one that would take the owner's own bits (0277); replacing an existing 0644 file too.
TEST_F(AtomicWrite, PrivateFilesAre0600WhateverTheUmask) {
  atomic_write(dir_ / "report.html", "old");
  ::chmod((dir_ / "report.html").c_str(), 0644);
  for (const mode_t mask : {mode_t(022), mode_t(0), mode_t(0277)}) {
    const mode_t old = ::umask(mask);
    atomic_write_private(dir_ / "report.html", "new");
    atomic_write_private(dir_ / "summary.md", [](std::ostream& o) { o << "# summary"; });
    ::umask(old);
    struct stat st {};
    ASSERT_EQ(::stat((dir_ / "report.html").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u) << "umask " << mask;
    ASSERT_EQ(::stat((dir_ / "summary.md").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u) << "umask " << mask;
  }
  EXPECT_EQ(read(dir_ / "report.html"), "new");
  EXPECT_EQ(read(dir_ / "summary.md"), "# summary");
  EXPECT_EQ(entries(), (std::vector<std::string>{"report.html", "summary.md"}));
}

}  // namespace
}  // namespace osh
