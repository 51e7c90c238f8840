// The libvirt backend against a real libvirtd (qemu:///system, started by scripts/setup), with
// the tiny test kernel (harness/vm/qemu/tests/data/tiny_kernel.S). Label libvirt.
#include "harness/vm/libvirt/libvirt_vm.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/paths.h"
#include "harness/vm/qemu/tests/test_support.h"

extern char** environ;

namespace osh::vm::libvirt {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using qemu::testing::Recorder;
using qemu::testing::TempDir;
using ::testing::Contains;
using ::testing::HasSubstr;

bool process_exists(pid_t pid) { return fs::exists("/proc/" + std::to_string(pid)); }

// Whether libvirtd still knows a domain of that name.
bool domain_exists(const std::string& name) {
  const auto c = Connection::shared(kDefaultUri);
  virDomainPtr d = virDomainLookupByName(c->get(), name.c_str());
  if (!d) return false;
  virDomainFree(d);
  return true;
}

class LibvirtVmTest : public ::testing::Test {
 protected:
  VmConfig config(std::string append) {
    VmConfig c;
    c.name = "t";
    c.kernel = install_dir() / "osh-vm-test-kernel.elf";
    c.append = std::move(append);
    c.output_dir = out_.path();
    return c;
  }
  static LibvirtOptions tcg(std::string machine = "pc") {
    LibvirtOptions o;
    o.qemu.machine = std::move(machine);
    o.qemu.accel = "tcg";
    return o;
  }
  static void run_to_exit(Vm& vm, Recorder& recorder) {
    qemu::testing::run_to_exit(vm, recorder, 20s);
  }
  static bool wait_for_console(Vm& vm, Recorder& recorder, std::string_view text) {
    return qemu::testing::wait_for_console(vm, recorder, text, 20s);
  }
  TempDir out_;
};

class LibvirtVmMachineTest : public LibvirtVmTest,
                             public ::testing::WithParamInterface<const char*> {};

TEST_P(LibvirtVmMachineTest, BootsPrintsAndEndsWithTheStatusHidden) {
  // Held by echo until the 'q' below: a guest that ended at once is gone, QEMU reaped, before
  // the checks that it runs (it was, once libvirtd ran under a reaping init: scripts/setup).
  LibvirtVm vm(config("echo exit=5"), tcg(GetParam()));
  vm.start();
  ASSERT_NE(vm.host_process(), nullptr);
  const pid_t pid = vm.pid();
  EXPECT_TRUE(process_exists(pid));
  EXPECT_TRUE(domain_exists(vm.domain_name()));
  Recorder recorder;
  vm.send_console(0, "q");
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  // echo puts the q back, then a newline (tiny_kernel.S).
  EXPECT_EQ(recorder.console, "tiny: boot\ntiny: cmdline=echo exit=5\nq\ntiny: bye 5\n");
  const VmExit& exit = *vm.exit();
  EXPECT_EQ(exit.how, VmExit::How::Exited);
  EXPECT_FALSE(exit.status_known);
  EXPECT_FALSE(exit.guest_exit_code);
  EXPECT_EQ(exit.shutdown_reason, "");
  EXPECT_THAT(exit.stderr_tail, HasSubstr("stopped (failed)"));
  EXPECT_THAT(exit.stderr_tail, HasSubstr("shutting down, reason=crashed"));
  EXPECT_THAT(exit.stderr_tail, ::testing::Not(HasSubstr("tainted")));
  EXPECT_THAT(recorder.event_names(), Contains("RESUME"));
  EXPECT_FALSE(process_exists(pid));
  EXPECT_FALSE(domain_exists(vm.domain_name()));
  // QEMU's log is kept with the run, the domain XML too, and command_line() starts it again.
  EXPECT_TRUE(fs::exists(out_.path() / "qemu.stderr.log"));
  EXPECT_FALSE(fs::exists("/var/log/libvirt/qemu/" + vm.domain_name() + ".log"));
  EXPECT_THAT(vm.command_line(),
              ::testing::ElementsAre("virsh", "--connect", "qemu:///system", "create",
                                     (out_.path() / "domain.xml").string()));
  EXPECT_EQ(recorder.bad_deliveries, 0);
}

INSTANTIATE_TEST_SUITE_P(Machines, LibvirtVmMachineTest, ::testing::Values("pc", "microvm"));

TEST_F(LibvirtVmTest, AFloodArrivesCompleteAndInOrder) {
  LibvirtVm vm(config("flood=20000"), tcg("microvm"));
  vm.start();
  Recorder recorder;
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  std::string expected = "tiny: boot\ntiny: cmdline=flood=20000\n";
  char line[16];
  for (int i = 0; i < 20000; ++i) {
    std::snprintf(line, sizeof line, "L%07d\n", i);
    expected += line;
  }
  EXPECT_EQ(recorder.console.substr(0, expected.size()), expected);
}

TEST_F(LibvirtVmTest, ATripleFaultIsAShutdownWithReasonGuestReset) {
  LibvirtVm vm(config("triple"), tcg());
  vm.start();
  Recorder recorder;
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(vm.exit()->how, VmExit::How::Exited);
  EXPECT_EQ(vm.exit()->shutdown_reason, "guest-reset");
  EXPECT_THAT(recorder.event_names(), Contains("SHUTDOWN"));
}

TEST_F(LibvirtVmTest, PauseResumeQueryStatusAndResetAsTheQemuBackend) {
  // microvm: on pc, SeaBIOS resets the machine a second time while it reboots, which can come
  // after reset() made resets end QEMU again.
  LibvirtVm vm(config("spin"), tcg("microvm"));
  vm.start();
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "tiny: spin"));
  vm.pause();
  EXPECT_EQ(vm.query_status()["running"], false);
  vm.resume();
  EXPECT_EQ(vm.query_status()["status"], "running");
  vm.reset();
  EXPECT_EQ(vm.query_status()["running"], true);
  // The reset rebooted the guest instead of ending the domain.
  recorder.console.clear();
  ASSERT_TRUE(wait_for_console(vm, recorder, "tiny: boot"))
      << recorder.console << ::testing::PrintToString(recorder.event_names())
      << (vm.exit() ? vm.exit()->stderr_tail : "running");
  EXPECT_FALSE(vm.exit());
  EXPECT_THAT(recorder.event_names(), ::testing::IsSupersetOf({"STOP", "RESUME", "RESET"}));
  EXPECT_THROW(vm.monitor()->command("no-such-command", nullptr), InfraError);
}

TEST_F(LibvirtVmTest, KillEndsTheDomainAndItsQemu) {
  LibvirtVm vm(config("spin"), tcg());
  vm.start();
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "tiny: spin"));
  const pid_t pid = vm.pid();
  vm.kill();
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(vm.exit()->how, VmExit::How::Killed);
  EXPECT_FALSE(process_exists(pid));
  EXPECT_FALSE(domain_exists(vm.domain_name()));
  vm.kill();  // again: nothing happens
  EXPECT_THROW(vm.pause(), InfraError);
}

TEST_F(LibvirtVmTest, ShutdownQuitsQemu) {
  LibvirtVm vm(config("spin"), tcg());
  vm.start();
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "tiny: spin"));
  vm.shutdown(5000ms);
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(vm.exit()->how, VmExit::How::Exited);
  EXPECT_EQ(vm.exit()->shutdown_reason, "host-qmp-quit");
}

TEST_F(LibvirtVmTest, ConsoleInputReachesTheGuest) {
  LibvirtVm vm(config("echo"), tcg());
  vm.start();
  Recorder recorder;
  vm.send_console(0, "hello q");
  run_to_exit(vm, recorder);
  EXPECT_THAT(recorder.console, HasSubstr("hello q"));
  EXPECT_THROW(vm.send_console(1, "x"), InfraError);
}

TEST_F(LibvirtVmTest, TheDestructorLeavesNoDomain) {
  std::string name;
  {
    LibvirtVm vm(config("spin"), tcg());
    vm.start();
    name = vm.domain_name();
    EXPECT_TRUE(domain_exists(name));
  }
  EXPECT_FALSE(domain_exists(name));
}

TEST_F(LibvirtVmTest, ABadKernelIsAnInfraErrorQuotingLibvirt) {
  VmConfig c = config("");
  c.kernel = "/nonexistent/kernel.elf";
  LibvirtVm vm(c, tcg());
  try {
    vm.start();
    FAIL() << "started";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("libvirt could not start domain"));
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/kernel.elf"));
  }
}

// Run as a child by the test below: starts a VM, says its domain's name, and waits to be killed.
TEST_F(LibvirtVmTest, ChildStartsAVmAndWaits) {
  if (!std::getenv("OSH_LIBVIRT_TEST_CHILD")) GTEST_SKIP() << "run by HarnessKilledBySigkill";
  LibvirtVm vm(config("spin"), tcg());
  vm.start();
  std::printf("DOMAIN %s\n", vm.domain_name().c_str());
  std::fflush(stdout);
  ::pause();
}

TEST_F(LibvirtVmTest, AHarnessKilledBySigkillLeavesNoDomain) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const std::string exe = fs::read_symlink("/proc/self/exe");
  std::string filter = "--gtest_filter=LibvirtVmTest.ChildStartsAVmAndWaits";
  char* argv[] = {const_cast<char*>(exe.c_str()), filter.data(), nullptr};
  std::vector<std::string> env_strings = {"OSH_LIBVIRT_TEST_CHILD=1"};
  std::vector<char*> envp;
  for (char** e = environ; *e; ++e) envp.push_back(*e);
  envp.push_back(env_strings[0].data());
  envp.push_back(nullptr);
  pid_t child;
  ASSERT_EQ(posix_spawn(&child, exe.c_str(), &actions, nullptr, argv, envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  FILE* from_child = ::fdopen(out[0], "r");
  char line[512];
  std::string name;
  while (name.empty() && std::fgets(line, sizeof line, from_child)) {
    if (std::string_view(line).starts_with("DOMAIN ")) name = std::string(line + 7);
  }
  if (!name.empty()) name.pop_back();  // '\n'
  ASSERT_FALSE(name.empty());
  EXPECT_TRUE(domain_exists(name));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  std::fclose(from_child);
  // libvirtd destroys the domain when the dead harness's connection closes.
  const int64_t deadline = monotonic_ns() + 10'000'000'000;
  while (domain_exists(name) && monotonic_ns() < deadline) std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(domain_exists(name));
}

}  // namespace
}  // namespace osh::vm::libvirt
