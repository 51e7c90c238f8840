#include "harness/vm/qemu/run_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstring>
#include <fstream>

#include "harness/base/errors.h"
#include "harness/vm/qemu/tests/test_support.h"
#include "harness/vm/qemu/unix_socket.h"

namespace osh::vm::qemu {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using testing::ScopedEnv;

TEST(RunDir, ParentIsXdgRuntimeDirThenTmpdirThenTmp) {
  const RunDir scratch = RunDir::create("parent-test", "/tmp");
  const std::string dir = scratch.path().string();
  {
    ScopedEnv xdg("XDG_RUNTIME_DIR", dir.c_str());
    ScopedEnv tmp("TMPDIR", "/nonexistent-osh");
    EXPECT_EQ(run_dir_parent(), scratch.path());
  }
  {
    ScopedEnv xdg("XDG_RUNTIME_DIR", "/nonexistent-osh");
    ScopedEnv tmp("TMPDIR", dir.c_str());
    EXPECT_EQ(run_dir_parent(), scratch.path()) << "an unusable XDG_RUNTIME_DIR is skipped";
  }
  {
    ScopedEnv xdg("XDG_RUNTIME_DIR", nullptr);
    ScopedEnv tmp("TMPDIR", "");
    EXPECT_EQ(run_dir_parent(), fs::path("/tmp"));
  }
}

TEST(RunDir, IsPrivateAndRemovedWithItsContents) {
  fs::path path;
  {
    const RunDir dir = RunDir::create("my-vm-with-a-rather-long-name", "/tmp");
    path = dir.path();
    EXPECT_THAT(path.filename().string(), ::testing::StartsWith("osh-my-vm-with-a-rat-"));
    struct stat st;
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    std::ofstream(path / "qemu.stderr.log") << "x";
    const UniqueFd listener = listen_unix(dir.socket_path("console.sock"));
    EXPECT_TRUE(fs::exists(path / "console.sock"));
  }
  EXPECT_FALSE(fs::exists(path));
}

// What a harness killed with SIGKILL leaves behind (it cannot remove its run directories) goes at
// the next harness's first RunDir in that parent; everything that is not provably stale stays.
TEST(RunDir, TheFirstRunDirSweepsThoseWhoseOwnerIsGone) {
  const RunDir parent = RunDir::create("sweep-test", "/tmp");
  {
    const RunDir live = RunDir::create("live", parent.path());
    const std::string owner = [&] {
      std::ifstream in(live.path() / "owner");
      return std::string((std::istreambuf_iterator<char>(in)), {});
    }();
    ASSERT_THAT(owner, ::testing::StartsWith(std::to_string(::getpid()) + " "));
    const std::string ns = owner.substr(owner.rfind(' ') + 1);
    const auto make = [&](const char* name, const std::string& content) {
      fs::create_directory(parent.path() / name);
      if (!content.empty()) std::ofstream(parent.path() / name / "owner") << content;
      std::ofstream(parent.path() / name / "console.sock") << "";
    };
    // This process with another start time: the pid was reused, the owner is gone.
    make("osh-killed-aaaaaa", std::to_string(::getpid()) + " 1 " + ns);
    make("osh-no-owner-bbbbbb", "");
    make("osh-other-ns-cccccc", std::to_string(::getpid()) + " 1 pid:[1]");
    make("not-ours-dddddd", std::to_string(::getpid()) + " 1 " + ns);
    EXPECT_EQ(sweep_stale_run_dirs(parent.path()), 1u);
    EXPECT_FALSE(fs::exists(parent.path() / "osh-killed-aaaaaa"));
    EXPECT_TRUE(fs::exists(live.path() / "owner")) << "its owner is alive";
    for (const char* kept : {"osh-no-owner-bbbbbb", "osh-other-ns-cccccc", "not-ours-dddddd"})
      EXPECT_TRUE(fs::exists(parent.path() / kept)) << kept;
  }
}

TEST(RunDir, SocketPathsThatDoNotFitSunPathAreRefusedWithAHint) {
  const RunDir base = RunDir::create("deep", "/tmp");
  fs::path deep = base.path();
  while (deep.native().size() < 120) deep /= "0123456789";
  fs::create_directories(deep);
  const RunDir dir = RunDir::create("x", deep);
  try {
    dir.socket_path("console.sock");
    FAIL() << "no error";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("longer than the 107 a unix socket allows; set TMPDIR"));
  }
}

TEST(RunDir, UnwritableParentIsAnInfraErrorNamingIt) {
  try {
    RunDir::create("x", "/nonexistent-osh");
    FAIL() << "no error";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot create the VM run directory /nonexistent-osh/osh-x-"));
  }
}

TEST(UnixSocket, ListensBeforeTheClientAndAcceptsLater) {
  const RunDir dir = RunDir::create("sock", "/tmp");
  const fs::path path = dir.socket_path("s.sock");
  const UniqueFd listener = listen_unix(path);
  EXPECT_FALSE(accept_unix(listener.get())) << "nothing pending yet";
  // The client connects and writes before anyone accepts: nothing is lost.
  const UniqueFd client(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::write(client.get(), "early", 5), 5);
  const UniqueFd accepted = accept_unix(listener.get());
  ASSERT_TRUE(accepted);
  char buffer[8] = {};
  EXPECT_EQ(::read(accepted.get(), buffer, sizeof buffer), 5);
  EXPECT_STREQ(buffer, "early");
  EXPECT_THROW(listen_unix(path), InfraError) << "the path is taken";
}

}  // namespace
}  // namespace osh::vm::qemu
