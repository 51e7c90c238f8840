#include "harness/vm/qemu/run_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <charconv>
#include <cstring>
#include <fstream>

#include "harness/base/errors.h"
#include "harness/vm/qemu/tests/test_support.h"
#include "harness/vm/qemu/unix_socket.h"

namespace osh::vm::qemu {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace std::string_literals;

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
    // "osh-live-<pid>.<start>.<namespace>-XXXXXX", in base 36.
    const std::string name = live.path().filename().string();
    const std::string owner = name.substr(9, name.size() - 9 - 7);
    ASSERT_EQ(owner.substr(0, owner.find('.')), [] {
      char buf[16];
      return std::string(buf, std::to_chars(buf, buf + sizeof buf, ::getpid(), 36).ptr);
    }());
    const std::string pid = owner.substr(0, owner.find('.'));
    const std::string ns = owner.substr(owner.rfind('.'));
    const auto make = [&](const std::string& name) {
      fs::create_directory(parent.path() / name);
      std::ofstream(parent.path() / name / "console.sock") << "";
    };
    // This process with another start time: the pid was reused, the owner is gone.
    make("osh-killed-" + pid + ".1" + ns + "-aaaaaa");
    make("osh-older-osharness-bbbbbb");
    make("osh-other-ns-" + pid + ".1.1-cccccc");
    make("not-ours-" + pid + ".1" + ns + "-dddddd");
    EXPECT_EQ(sweep_stale_run_dirs(parent.path()), 1u);
    EXPECT_FALSE(fs::exists(parent.path() / ("osh-killed-" + pid + ".1" + ns + "-aaaaaa")));
    EXPECT_TRUE(fs::exists(live.path())) << "its owner is alive";
    for (const std::string& kept :
         {"osh-older-osharness-bbbbbb"s, "osh-other-ns-" + pid + ".1.1-cccccc",
          "not-ours-" + pid + ".1" + ns + "-dddddd"})
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
