// The QEMU backend against real QEMU, with the tiny test kernel (tests/data/tiny_kernel.S).
#include "harness/vm/qemu/qemu_vm.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/paths.h"
#include "harness/vm/qemu/tests/test_support.h"

namespace osh::vm::qemu {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Recorder;
using testing::ScopedEnv;
using testing::TempDir;

bool process_exists(pid_t pid) { return fs::exists("/proc/" + std::to_string(pid)); }

class QemuVmTest : public ::testing::Test {
 protected:
  VmConfig config(std::string append) {
    VmConfig c;
    c.name = "t";
    c.kernel = install_dir() / "osh-vm-test-kernel.elf";
    c.append = std::move(append);
    c.output_dir = out_.path();
    return c;
  }
  // TCG named, so that no test waits for the accelerator probe.
  static QemuOptions tcg(std::string machine = "microvm", std::vector<std::string> args = {}) {
    QemuOptions o;
    o.machine = std::move(machine);
    o.accel = "tcg";
    o.args = std::move(args);
    return o;
  }

  static void run_to_exit(QemuVm& vm, Recorder& recorder, std::chrono::milliseconds limit = 5s) {
    testing::run_to_exit(vm, recorder, limit);
  }
  static bool wait_for_console(QemuVm& vm, Recorder& recorder, std::string_view text,
                               std::chrono::milliseconds limit = 5s) {
    return testing::wait_for_console(vm, recorder, text, limit);
  }

  std::string start_error(VmConfig c, QemuOptions options = tcg()) {
    QemuVm vm(std::move(c), std::move(options));
    try {
      vm.start();
    } catch (const InfraError& e) {
      return e.what();
    }
    return "started";
  }

  TempDir out_;
};

class QemuVmMachineTest : public QemuVmTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(QemuVmMachineTest, BootsPrintsAndDecodesTheExitCode) {
  QemuVm vm(config("exit=5"), tcg(GetParam()));
  vm.start();
  EXPECT_TRUE(process_exists(vm.pid()));
  Recorder recorder;
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(recorder.console, "tiny: boot\ntiny: cmdline=exit=5\ntiny: bye 5\n");
  const VmExit& exit = *vm.exit();
  EXPECT_EQ(exit.how, VmExit::How::Exited);
  EXPECT_EQ(exit.status, 11);
  EXPECT_EQ(exit.guest_exit_code, 5);
  EXPECT_EQ(exit.shutdown_reason, "");
  EXPECT_THAT(recorder.event_names(), ::testing::ElementsAre("RESUME"));
  EXPECT_FALSE(process_exists(vm.pid()));

  const double first_byte_ms = double(recorder.first_byte_ns - vm.spawn_ns()) / 1e6;
  const double lifetime_ms = double(exit.host_ns - vm.spawn_ns()) / 1e6;
  EXPECT_GT(first_byte_ms, 0);
  EXPECT_GE(lifetime_ms, first_byte_ms);
  std::printf("[timing] %s: spawn -> first console byte %.1f ms, spawn -> exit noticed %.1f ms\n",
              GetParam(), first_byte_ms, lifetime_ms);
  RecordProperty("first_byte_ms", std::to_string(first_byte_ms));
  RecordProperty("lifetime_ms", std::to_string(lifetime_ms));
}

// The same kernel with a multiboot header instead of the PVH note: each machine boots it too
// (harness/vm/kernel_image.h accepts it whatever the machine). QEMU's multiboot loader puts the
// kernel's file name first on the command line, as GRUB does.
TEST_P(QemuVmMachineTest, BootsAMultibootKernel) {
  VmConfig c = config("exit=5");
  c.kernel = install_dir() / "osh-vm-test-kernel-multiboot.elf";
  const std::string kernel = c.kernel.string();
  QemuVm vm(std::move(c), tcg(GetParam()));
  vm.start();
  Recorder recorder;
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(recorder.console, "tiny: boot\ntiny: cmdline=" + kernel + " exit=5\ntiny: bye 5\n");
  EXPECT_EQ(vm.exit()->guest_exit_code, 5);
}

INSTANTIATE_TEST_SUITE_P(Machines, QemuVmMachineTest, ::testing::Values("microvm", "pc", "q35"));

TEST_F(QemuVmTest, GuestExitZeroIsToldApartFromAQemuError) {
  QemuVm vm(config(""), tcg());
  vm.start();
  Recorder recorder;
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(vm.exit()->status, 1);
  EXPECT_EQ(vm.exit()->guest_exit_code, 0);
  EXPECT_THAT(recorder.console, ::testing::EndsWith("tiny: bye 0\n"));
}

TEST_F(QemuVmTest, FloodArrivesCompleteAndInOrder) {
  constexpr int kLines = 20000;
  QemuVm vm(config("flood=" + std::to_string(kLines)), tcg());
  vm.start();
  Recorder recorder;
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  std::string expected = "tiny: boot\ntiny: cmdline=flood=" + std::to_string(kLines) + "\n";
  char line[16];
  for (int i = 0; i < kLines; ++i) {
    std::snprintf(line, sizeof line, "L%07d\n", i);
    expected += line;
  }
  expected += "tiny: bye 0\n";
  EXPECT_EQ(recorder.console.size(), expected.size());
  EXPECT_TRUE(recorder.console == expected) << "console differs from the expected flood";
}

TEST_F(QemuVmTest, TripleFaultEndsWithShutdownReasonGuestReset) {
  QemuVm vm(config("triple"), tcg());
  vm.start();
  Recorder recorder;
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(recorder.console, "tiny: boot\ntiny: cmdline=triple\n");
  const VmExit& exit = *vm.exit();
  EXPECT_EQ(exit.how, VmExit::How::Exited);
  EXPECT_EQ(exit.status, 0);
  EXPECT_EQ(exit.guest_exit_code, std::nullopt);
  EXPECT_EQ(exit.shutdown_reason, "guest-reset");
  ASSERT_EQ(recorder.event_names().back(), "SHUTDOWN");
  EXPECT_EQ(recorder.events.back().data,
            nlohmann::json({{"guest", true}, {"reason", "guest-reset"}}));
}

TEST_F(QemuVmTest, PauseStopsTheGuestResumeRestartsItQueryStatusTells) {
  QemuVm vm(config("spin"), tcg());
  vm.start();
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "tiny: spin\n."));
  EXPECT_EQ(vm.query_status()["status"], "running");
  EXPECT_EQ(vm.query_status()["running"], true);

  vm.pause();
  EXPECT_EQ(vm.query_status()["status"], "paused");
  // The vCPU writes each byte to the socket itself, so once "stop" has returned, everything the
  // guest printed is already readable: one pump takes it (and the STOP event).
  vm.pump(0ms, recorder, -1);
  vm.pump(0ms, recorder, -1);
  const size_t paused_at = recorder.console.size();
  const int64_t quiet_until = monotonic_ns() + 200'000'000;
  while (monotonic_ns() < quiet_until) vm.pump(50ms, recorder, -1);
  EXPECT_EQ(recorder.console.size(), paused_at) << "a paused guest printed";

  vm.resume();
  const int64_t deadline = monotonic_ns() + 2'000'000'000;
  while (recorder.console.size() == paused_at && monotonic_ns() < deadline) {
    vm.pump(50ms, recorder, -1);
  }
  EXPECT_GT(recorder.console.size(), paused_at) << "the resumed guest printed nothing";
  EXPECT_THAT(recorder.event_names(), ::testing::ElementsAre("RESUME", "STOP", "RESUME"));
  vm.reset();
  vm.pump(0ms, recorder, -1);
  EXPECT_EQ(recorder.event_names().back(), "RESET");
  EXPECT_TRUE(wait_for_console(vm, recorder, "tiny: boot\ntiny: cmdline=spin\ntiny: spin\n."))
      << "booted again";
}

TEST_F(QemuVmTest, KillLeavesNoProcessAndDestructionRemovesTheRunDirectory) {
  pid_t pid;
  fs::path run_dir;
  {
    QemuVm vm(config("spin"), tcg());
    vm.start();
    pid = vm.pid();
    run_dir = vm.run_dir();
    EXPECT_TRUE(fs::exists(run_dir));
    Recorder recorder;
    ASSERT_TRUE(wait_for_console(vm, recorder, "tiny: spin\n"));
    vm.kill();
    EXPECT_FALSE(process_exists(pid));
    ASSERT_TRUE(vm.exit());
    EXPECT_EQ(vm.exit()->how, VmExit::How::Killed);
    EXPECT_EQ(vm.exit()->signal, SIGKILL);
    vm.kill();  // again: harmless
    EXPECT_THROW(vm.pause(), InfraError);
  }
  EXPECT_FALSE(fs::exists(run_dir));
}

TEST_F(QemuVmTest, DestructorAloneLeavesNothingBehind) {
  pid_t pid;
  fs::path run_dir;
  {
    QemuVm vm(config("spin"), tcg());
    vm.start();
    pid = vm.pid();
    run_dir = vm.run_dir();
  }
  EXPECT_FALSE(process_exists(pid));
  EXPECT_FALSE(fs::exists(run_dir));
}

TEST_F(QemuVmTest, ShutdownQuitsThroughQmpWithinTheGrace) {
  QemuVm vm(config("spin"), tcg());
  vm.start();
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "tiny: spin\n"));
  const int64_t t0 = monotonic_ns();
  vm.shutdown(2000ms);
  EXPECT_LT(monotonic_ns() - t0, 2'000'000'000);
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(vm.exit()->how, VmExit::How::Exited);
  EXPECT_EQ(vm.exit()->status, 0);
  EXPECT_EQ(vm.exit()->shutdown_reason, "host-qmp-quit");
  EXPECT_EQ(vm.exit()->guest_exit_code, std::nullopt);
  vm.pump(0ms, recorder, -1);  // what shutdown() read is delivered now
  EXPECT_EQ(recorder.event_names().back(), "SHUTDOWN");
}

TEST_F(QemuVmTest, ShutdownOfAPausedGuestStillEndsIt) {
  QemuVm vm(config("spin"), tcg());
  vm.start();
  vm.pause();
  vm.shutdown(1000ms);
  ASSERT_TRUE(vm.exit());
  EXPECT_FALSE(process_exists(vm.pid()));
}

TEST_F(QemuVmTest, ExternallyKilledQemuIsSignaledAndItsOutputDelivered) {
  QemuVm vm(config("spin"), tcg());
  vm.start();
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "tiny: spin\n"));
  ::kill(vm.pid(), SIGTERM);  // QEMU handles SIGTERM as a host-signal shutdown
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(vm.exit()->shutdown_reason, "host-signal");
  EXPECT_EQ(vm.exit()->status, 0);

  QemuVm second(config("spin"), tcg());
  second.start();
  Recorder recorder2;
  ASSERT_TRUE(wait_for_console(second, recorder2, "tiny: spin\n"));
  ::kill(second.pid(), SIGSEGV);
  run_to_exit(second, recorder2);
  ASSERT_TRUE(second.exit());
  EXPECT_EQ(second.exit()->how, VmExit::How::Signaled);
  EXPECT_EQ(second.exit()->signal, SIGSEGV);
}

TEST_F(QemuVmTest, ConsoleInputReachesTheGuest) {
  QemuVm vm(config("echo exit=2"), tcg());
  vm.start();
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "cmdline=echo exit=2\n"));
  vm.send_console(0, "hello q");
  run_to_exit(vm, recorder);
  EXPECT_THAT(recorder.console, ::testing::EndsWith("cmdline=echo exit=2\nhello q\ntiny: bye 2\n"));
  EXPECT_THROW(vm.send_console(1, "x"), InfraError);
}

TEST_F(QemuVmTest, WakeFdEndsAPumpEarly) {
  QemuVm vm(config("echo"), tcg());
  vm.start();
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "cmdline=echo\n"));
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  ASSERT_EQ(::write(pipe_fds[1], "w", 1), 1);
  const int64_t t0 = monotonic_ns();
  vm.pump(3000ms, recorder, pipe_fds[0]);
  EXPECT_LT(monotonic_ns() - t0, 1'000'000'000);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

mode_t mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// What a guest that escapes into QEMU, or anyone else on the host, gets: a QEMU under seccomp
// with none of the harness's other variables, and files only the harness's user can open,
// whatever the umask.
TEST_F(QemuVmTest, QemuRunsSandboxedWithAMinimalEnvironmentAndPrivateFiles) {
  ScopedEnv secret("OSH_TEST_SECRET_TOKEN", "hunter2");
  const mode_t old_umask = ::umask(0);
  QemuVm vm(config("echo"), tcg());
  vm.start();
  ::umask(old_umask);
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "cmdline=echo\n"));
  const std::string proc = "/proc/" + std::to_string(vm.pid());
  EXPECT_THAT(file_text(proc + "/status"), HasSubstr("Seccomp:\t2\n"));
  const std::string environ = file_text(proc + "/environ");
  EXPECT_THAT(environ, Not(HasSubstr("OSH_TEST_SECRET_TOKEN")));
  for (size_t begin = 0, end; begin < environ.size(); begin = end + 1) {
    end = environ.find('\0', begin);
    const std::string variable = environ.substr(begin, end - begin);
    EXPECT_TRUE(variable.starts_with("PATH=") || variable.starts_with("TMPDIR=") ||
                variable.starts_with("TZ=") || variable.starts_with("LANG=") ||
                variable.starts_with("LC_ALL="))
        << variable;
  }
  EXPECT_EQ(mode_of(out_.path()), 0700u);
  EXPECT_EQ(mode_of(out_.path() / "qemu.stderr.log"), 0600u);
  EXPECT_EQ(mode_of(out_.path() / "qemu.stdout.log"), 0600u);
  for (const auto& arg : vm.command_line()) {
    const size_t path = arg.find(",path=");
    if (path == std::string::npos) continue;
    if (arg.starts_with("socket,")) {
      const std::string socket = arg.substr(path + 6, arg.find(",server") - path - 6);
      EXPECT_EQ(mode_of(socket), 0600u) << socket;
      EXPECT_EQ(mode_of(fs::path(socket).parent_path()), 0700u);
    } else if (arg.starts_with("pipe,")) {
      const std::string fifo = arg.substr(path + 6);
      EXPECT_EQ(mode_of(fifo + ".in"), 0600u) << fifo;
      EXPECT_EQ(mode_of(fifo + ".out"), 0600u) << fifo;
      EXPECT_EQ(mode_of(fs::path(fifo).parent_path()), 0700u);
    }
  }
  vm.kill();
}

TEST_F(QemuVmTest, CpuUsageGrowsWhileTheGuestSpins) {
  QemuVm vm(config("spin"), tcg());
  vm.start();
  Recorder recorder;
  ASSERT_TRUE(wait_for_console(vm, recorder, "tiny: spin\n"));
  const CpuUsage before = vm.cpu_usage();
  // 300 ms of spinning takes about that much CPU on an idle host; a loaded one gives QEMU a
  // share of a core, so wait up to 10 s for 50 ms of it rather than a fixed 300 ms.
  const int64_t until = monotonic_ns() + 10'000'000'000;
  CpuUsage after = before;
  while (after.cpu_ns - before.cpu_ns < 50'000'000 && monotonic_ns() < until) {
    vm.pump(50ms, recorder, -1);
    after = vm.cpu_usage();
  }
  EXPECT_GT(before.cpu_ns, 0);
  EXPECT_GE(after.cpu_ns - before.cpu_ns, 50'000'000) << "10 s of a spinning guest";
  EXPECT_GE(after.run_delay_ns, before.run_delay_ns);
  vm.kill();
  EXPECT_EQ(vm.cpu_usage().cpu_ns, after.cpu_ns) << "after the exit, the last sample stays";
}

TEST_F(QemuVmTest, ScreendumpWritesAPngWhenThereIsADisplay) {
  QemuVm vm(config("spin"), tcg("pc", {"-device", "VGA"}));
  vm.start();
  const fs::path png = out_.path() / "screen.png";
  vm.screendump(png);
  std::ifstream in(png, std::ios::binary);
  std::string magic(8, '\0');
  in.read(magic.data(), 8);
  EXPECT_EQ(magic, "\x89PNG\r\n\x1a\n");

  QemuVm headless(config("spin"), tcg());
  headless.start();
  try {
    headless.screendump(out_.path() / "none.png");
    FAIL() << "screendump without a display succeeded";
  } catch (const QmpError& e) {
    EXPECT_EQ(e.error_class, "GenericError");
  }
}

TEST_F(QemuVmTest, DrivesAndBlkdebugAreAcceptedByQemu) {
  const fs::path a = out_.path() / "a,1.raw";
  const fs::path b = out_.path() / "b.raw";
  for (const fs::path& image : {a, b}) {
    std::ofstream{image};
    fs::resize_file(image, 1 << 20);
  }
  VmConfig c = config("spin");
  c.drives.push_back(Drive{.image = a, .read_only = true});
  c.drives.push_back(Drive{.image = b, .id = "faulty"});
  QemuVm vm(c, tcg());
  vm.plan("faulty", {DiskErrors::Op::Read});
  vm.start();
  const auto blocks = vm.command("query-block", nullptr);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0]["device"], "drive0");
  EXPECT_EQ(blocks[0]["inserted"]["file"], a.string());
  EXPECT_EQ(blocks[0]["inserted"]["ro"], true);
  EXPECT_EQ(blocks[1]["device"], "faulty");
  EXPECT_EQ(blocks[1]["inserted"]["file"],
            "blkdebug:" + (out_.path() / "blkdebug.conf").string() + ":" + b.string());
  vm.step();  // QEMU takes the step command; the guest sees EIO from now (stress tests check it)
}

TEST_F(QemuVmTest, DeterministicRunsTheGuestToTheSameEnd) {
  VmConfig c = config("flood=100 exit=3");
  c.deterministic = true;
  QemuVm vm(c, tcg());
  vm.start();
  Recorder recorder;
  run_to_exit(vm, recorder);
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(vm.exit()->guest_exit_code, 3);
  EXPECT_THAT(recorder.console, HasSubstr("L0000099\ntiny: bye 3\n"));
}

TEST_F(QemuVmTest, QemuMissingFromPathIsAnInfraErrorSayingWhatToDo) {
  TempDir empty;
  ScopedEnv path("PATH", empty.path().c_str());
  ScopedEnv qemu("OSH_QEMU", nullptr);
  EXPECT_THAT(start_error(config("")),
              HasSubstr("qemu-system-x86_64 not found in PATH (" + empty.path().string() +
                        "); install qemu-system-x86 (scripts/setup installs it) or set OSH_QEMU"));
}

TEST_F(QemuVmTest, OshQemuPointingNowhereIsAnInfraError) {
  ScopedEnv qemu("OSH_QEMU", "/nonexistent/qemu-system-x86_64");
  EXPECT_EQ(start_error(config("")),
            "OSH_QEMU=/nonexistent/qemu-system-x86_64 is not an executable file (nor a program in "
            "PATH); point it at qemu-system-x86_64 or unset it");
}

TEST_F(QemuVmTest, UnreadableKernelIsAnInfraErrorNamingThePath) {
  VmConfig c = config("");
  c.kernel = out_.path() / "missing.elf";
  EXPECT_EQ(start_error(c), "cannot read the kernel image " + c.kernel.string() +
                                " (build it, or fix the kernel path of the VM config): No such "
                                "file or directory");
  c.kernel = out_.path();
  EXPECT_THAT(start_error(c), HasSubstr("is not a regular file"));
}

TEST_F(QemuVmTest, BadConfigIsAnInputErrorBeforeAnythingRuns) {
  VmConfig c = config("");
  c.memory = "lots";
  QemuVm vm(c, tcg());
  EXPECT_THROW(vm.start(), InputError);
  EXPECT_EQ(vm.pid(), -1);
}

TEST_F(QemuVmTest, QemuFailingAtStartupQuotesItsStderr) {
  QemuVm vm(config(""), tcg("microvm", {"-M", "nosuchmachine"}));
  try {
    vm.start();
    FAIL() << "started";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("QEMU failed to start: QEMU exited before it connected to its "
                                    "QMP socket; QEMU exited with status 1. Its stderr ends with:\n"
                                    "qemu-system-x86_64: unsupported machine type\n"
                                    "Use -machine help to list supported machines"));
  }
  ASSERT_TRUE(vm.exit());
  EXPECT_EQ(vm.exit()->guest_exit_code, std::nullopt) << "status 1 with an error is QEMU's";
  EXPECT_FALSE(process_exists(vm.pid()));
  EXPECT_THAT(vm.command_line(), ::testing::Contains("nosuchmachine"));
}

TEST_F(QemuVmTest, QemuFailingAfterConnectingQuotesItsStderrToo) {
  const std::string error = start_error(config(""), tcg("microvm", {"-device", "no-such-device"}));
  EXPECT_THAT(error, HasSubstr("QEMU failed to start: "));
  EXPECT_THAT(error, HasSubstr("'no-such-device' is not a valid device model name"));
}

}  // namespace
}  // namespace osh::vm::qemu
