#include "harness/base/subprocess.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

// glibc 2.36 (Debian 12) declares these without extern "C"; fixed in glibc 2.37.
extern "C" {
#include <sys/pidfd.h>
}

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/base/clock.h"
#include "harness/base/errors.h"

namespace osh {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "osh-subprocess-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
  return out;
}

std::set<int> open_fds_of(pid_t pid) {
  std::set<int> fds;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    fds.insert(std::stoi(entry.path().filename().string()));
  }
  return fds;
}

// The value of a "Name:\tvalue" line of /proc/<pid>/status.
std::string proc_status_field(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + ":", 0) == 0) {
      const auto value = line.substr(name.size() + 1);
      return value.substr(value.find_first_not_of(" \t"));
    }
  }
  return "";
}

bool pidfd_exits_within(int pidfd, std::chrono::milliseconds timeout) {
  pollfd pfd{pidfd, POLLIN, 0};
  return ::poll(&pfd, 1, int(timeout.count())) == 1;
}

TEST(FindExecutable, SearchesEachPathEntryInOrder) {
  EXPECT_EQ(find_executable("true", "/nonexistent:/bin:/usr/bin"), fs::path("/bin/true"));
  EXPECT_EQ(find_executable("true", "/usr/bin:/bin"), fs::path("/usr/bin/true"));
  EXPECT_EQ(find_executable("osh-no-such-program", "/bin:/usr/bin"), std::nullopt);
  EXPECT_EQ(find_executable("", "/bin"), std::nullopt);
}

TEST(FindExecutable, TakesNamesWithASlashAsPaths) {
  EXPECT_EQ(find_executable("/bin/true", ""), fs::path("/bin/true"));
  EXPECT_EQ(find_executable("/bin/osh-no-such-program", "/bin"), std::nullopt);
}

TEST(FindExecutable, SkipsDirectoriesAndFilesWithoutExecutePermission) {
  TempDir dir;
  fs::create_directory(dir.path() / "prog");
  const fs::path plain = dir.path() / "plain";
  std::ofstream(plain) << "not a program\n";
  fs::permissions(plain, fs::perms::owner_read | fs::perms::owner_write);
  const std::string path_list = dir.path().string() + ":/bin";
  EXPECT_EQ(find_executable("prog", path_list), std::nullopt);
  EXPECT_EQ(find_executable("plain", path_list), std::nullopt);
  fs::permissions(plain, fs::perms::owner_all);
  EXPECT_EQ(find_executable("plain", path_list), plain);
}

TEST(Subprocess, ReportsExitStatusOfTrueAndFalse) {
  auto t = Subprocess::spawn({"true"});
  EXPECT_EQ(t.wait(), (ExitStatus{.signaled = false, .code = 0}));
  auto f = Subprocess::spawn({"/bin/false"});
  const ExitStatus& status = f.wait();
  EXPECT_FALSE(status.signaled);
  EXPECT_EQ(status.code, 1);
  EXPECT_EQ(status.describe(), "exited with status 1");
}

TEST(Subprocess, WaitForTimesOutOnARunningChildAndKillGroupEndsIt) {
  auto sleeper = Subprocess::spawn({"/bin/sleep", "30"});
  const int64_t t0 = monotonic_ns();
  EXPECT_EQ(sleeper.wait_for(50ms), std::nullopt);
  EXPECT_GE(monotonic_ns() - t0, 50'000'000);
  EXPECT_EQ(::getpgid(sleeper.pid()), sleeper.pid()) << "the child leads its own process group";
  const ExitStatus& status = sleeper.kill_group();
  EXPECT_TRUE(status.signaled);
  EXPECT_EQ(status.signal, SIGKILL);
  EXPECT_EQ(status.describe(), "killed by SIGKILL");
  EXPECT_FALSE(fs::exists("/proc/" + std::to_string(sleeper.pid()))) << "reaped";
  EXPECT_EQ(sleeper.kill_group(), status) << "a second kill is harmless";
}

TEST(Subprocess, KillGroupReachesEveryMemberOfTheGroup) {
  auto leader = Subprocess::spawn({"/bin/sleep", "30"});
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t member = ::fork();
  ASSERT_GE(member, 0);
  if (member == 0) {
    const bool joined = ::setpgid(0, leader.pid()) == 0;
    [[maybe_unused]] ssize_t n = ::write(ready[1], &joined, 1);
    ::pause();
    ::_exit(0);
  }
  ::close(ready[1]);
  bool joined = false;
  ASSERT_EQ(::read(ready[0], &joined, 1), 1);
  ::close(ready[0]);
  ASSERT_TRUE(joined);
  leader.kill_group();
  int status = 0;
  ASSERT_EQ(::waitpid(member, &status, 0), member);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
}

TEST(Subprocess, MissingProgramIsAnInfraErrorNamingIt) {
  try {
    Subprocess::spawn({"osh-no-such-program", "--flag"});
    FAIL() << "spawn succeeded";
  } catch (const InfraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'osh-no-such-program': not found in PATH"));
  }
  EXPECT_THROW(Subprocess::spawn({"/nonexistent/osh-prog"}), InfraError);
  EXPECT_THROW(Subprocess::spawn({}), InfraError);
}

TEST(Subprocess, ExecFailureInTheChildIsReportedWithItsErrno) {
  TempDir dir;
  const fs::path bogus = dir.path() / "bogus";
  std::ofstream(bogus) << "\x7f"
                       << "ELF but not really";
  fs::permissions(bogus, fs::perms::owner_all);
  try {
    Subprocess::spawn({bogus.string()});
    FAIL() << "spawn succeeded";
  } catch (const InfraError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot start " + bogus.string() + ": cannot execute it: " + std::strerror(ENOEXEC));
  }
}

TEST(Subprocess, RedirectsStandardStreamsToFilesAndDescriptors) {
  TempDir dir;
  const fs::path input = dir.path() / "in.txt";
  const fs::path output = dir.path() / "out.txt";
  std::ofstream(input) << "line one\nline two\n";
  std::ofstream(output) << "old content that must be truncated away\n";
  SpawnOptions options;
  options.stdin_from = Redirect::file(input);
  options.stdout_to = Redirect::file(output);
  EXPECT_EQ(Subprocess::spawn({"/bin/cat"}, options).wait().code, 0);
  EXPECT_EQ(read_file(output), "line one\nline two\n");

  int err[2];
  ASSERT_EQ(::pipe2(err, O_CLOEXEC), 0);
  SpawnOptions to_pipe;
  to_pipe.stderr_to = Redirect::fd(err[1]);
  auto ls = Subprocess::spawn({"/bin/ls", "/nonexistent-osh-path"}, to_pipe);
  ::close(err[1]);
  EXPECT_THAT(read_all(err[0]), HasSubstr("/nonexistent-osh-path"));
  ::close(err[0]);
  EXPECT_EQ(ls.wait().code, 2);
}

TEST(Subprocess, AGivenEnvironmentIsTheChildsWholeEnvironment) {
  ASSERT_EQ(::setenv("OSH_SUBPROCESS_TEST_SECRET", "inherited", 1), 0);
  TempDir dir;
  const fs::path output = dir.path() / "env.txt";
  SpawnOptions options;
  options.stdout_to = Redirect::file(output);
  options.environment = std::vector<std::string>{"LANG=C", "OSH_ONLY=1"};
  EXPECT_EQ(Subprocess::spawn({"/usr/bin/env"}, options).wait().code, 0);
  EXPECT_EQ(read_file(output), "LANG=C\nOSH_ONLY=1\n");
  SpawnOptions inherit;
  inherit.stdout_to = Redirect::file(output);
  EXPECT_EQ(Subprocess::spawn({"/usr/bin/env"}, inherit).wait().code, 0);
  EXPECT_THAT(read_file(output), HasSubstr("OSH_SUBPROCESS_TEST_SECRET=inherited"));
  ::unsetenv("OSH_SUBPROCESS_TEST_SECRET");
}

TEST(Subprocess, StdoutAndStderrMayShareTheCallersStandardDescriptors) {
  // Sources in 0..2 are moved out of the way first, so stderr -> "our fd 1" is not clobbered by
  // stdout's own redirection.
  TempDir dir;
  const fs::path output = dir.path() / "out.txt";
  const int saved_stdout = ::dup(1);
  const int file = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(file, 0);
  ::dup2(file, 1);
  ::close(file);
  SpawnOptions options;
  options.stdout_to = Redirect::null();
  options.stderr_to = Redirect::fd(1);
  auto ls = Subprocess::spawn({"/bin/ls", "/nonexistent-osh-path"}, options);
  ls.wait();
  ::dup2(saved_stdout, 1);
  ::close(saved_stdout);
  EXPECT_THAT(read_file(output), HasSubstr("/nonexistent-osh-path"));
}

TEST(Subprocess, InheritsOnlyTheListedDescriptors) {
  const int leaked = ::dup(2);  // dup() does not set close-on-exec: a classic leak
  const int kept = ::dup(2);
  ASSERT_GE(leaked, 3);
  ASSERT_GE(kept, 3);
  SpawnOptions options;
  options.keep_fds = {kept};
  auto sleeper = Subprocess::spawn({"/bin/sleep", "30"}, options);
  // While sleep starts, the dynamic loader holds each shared library open for a moment; what the
  // child inherited is what is left once it sleeps.
  for (int i = 0; i < 2000 && proc_status_field(sleeper.pid(), "State").rfind("S", 0) != 0; ++i)
    ::usleep(1000);
  const std::set<int> fds = open_fds_of(sleeper.pid());
  sleeper.kill_group();
  ::close(leaked);
  ::close(kept);
  EXPECT_EQ(fds, (std::set<int>{0, 1, 2, kept}));
}

TEST(Subprocess, RejectsDescriptorsToKeepThatAreNotOpen) {
  SpawnOptions options;
  options.keep_fds = {1000};
  EXPECT_THROW(Subprocess::spawn({"/bin/true"}, options), InfraError);
  options.keep_fds = {1};
  EXPECT_THROW(Subprocess::spawn({"/bin/true"}, options), InfraError);
}

TEST(Subprocess, ChildStartsWithDefaultSignalsAndAnEmptyMask) {
  struct sigaction ignore {
  }, old_pipe{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_pipe);
  sigset_t block, old_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  ::sigprocmask(SIG_BLOCK, &block, &old_mask);
  auto sleeper = Subprocess::spawn({"/bin/sleep", "30"});
  const std::string parent_ignored = proc_status_field(::getpid(), "SigIgn");
  const std::string parent_blocked = proc_status_field(::getpid(), "SigBlk");
  ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGPIPE, &old_pipe, nullptr);
  ASSERT_EQ(parent_ignored.size(), 16u);
  EXPECT_NE(parent_ignored, "0000000000000000") << "SIGPIPE was ignored in the parent";
  EXPECT_NE(parent_blocked, "0000000000000000") << "SIGUSR1 was blocked in the parent";
  EXPECT_EQ(proc_status_field(sleeper.pid(), "SigIgn"), "0000000000000000");
  EXPECT_EQ(proc_status_field(sleeper.pid(), "SigBlk"), "0000000000000000");
}

TEST(Subprocess, PidfdBecomesReadableWhenTheChildExits) {
  auto sleeper = Subprocess::spawn({"/bin/sleep", "0.05"});
  EXPECT_FALSE(pidfd_exits_within(sleeper.pidfd(), 0ms));
  EXPECT_TRUE(pidfd_exits_within(sleeper.pidfd(), 5000ms));
  ASSERT_TRUE(sleeper.try_wait());
  EXPECT_EQ(sleeper.status()->code, 0);
}

TEST(Subprocess, DestructorKillsAndReapsARunningChild) {
  pid_t pid;
  {
    auto sleeper = Subprocess::spawn({"/bin/sleep", "30"});
    pid = sleeper.pid();
    ASSERT_TRUE(fs::exists("/proc/" + std::to_string(pid)));
  }
  EXPECT_FALSE(fs::exists("/proc/" + std::to_string(pid)));
}

TEST(Subprocess, ChildDiesWhenItsParentIsKilled) {
  // A stand-in for the harness: a process that spawns sleep and is then SIGKILLed, so that no
  // destructor runs. Only PR_SET_PDEATHSIG can end the sleep then.
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t harness = ::fork();
  ASSERT_GE(harness, 0);
  if (harness == 0) {
    ::close(pipe_fds[0]);
    auto sleeper = Subprocess::spawn({"/bin/sleep", "30"});
    const pid_t pid = sleeper.pid();
    [[maybe_unused]] ssize_t n = ::write(pipe_fds[1], &pid, sizeof pid);
    for (;;) ::pause();
  }
  ::close(pipe_fds[1]);
  pid_t sleep_pid = 0;
  ASSERT_EQ(::read(pipe_fds[0], &sleep_pid, sizeof sleep_pid), ssize_t(sizeof sleep_pid));
  ::close(pipe_fds[0]);
  const int sleep_pidfd = ::pidfd_open(sleep_pid, 0);
  ASSERT_GE(sleep_pidfd, 0);
  EXPECT_FALSE(pidfd_exits_within(sleep_pidfd, 0ms)) << "sleep runs while its parent lives";

  ::kill(harness, SIGKILL);
  ASSERT_EQ(::waitpid(harness, nullptr, 0), harness);
  const bool gone = pidfd_exits_within(sleep_pidfd, 5000ms);
  if (!gone) ::pidfd_send_signal(sleep_pidfd, SIGKILL, nullptr, 0);
  ::close(sleep_pidfd);
  EXPECT_TRUE(gone) << "sleep outlived its SIGKILLed parent";
}

}  // namespace
}  // namespace osh
