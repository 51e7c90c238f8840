#include "harness/base/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

// glibc 2.36 (Debian 12) declares these without extern "C"; fixed in glibc 2.37.
extern "C" {
#include <sys/pidfd.h>
}

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/signals.h"
#include "harness/base/unique_fd.h"

extern char** environ;

namespace osh {

namespace {

namespace fs = std::filesystem;

bool is_executable_file(const fs::path& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// What the child failed at, sent to the parent through the close-on-exec pipe with errno.
enum class Stage : int { ProcessGroup = 1, DeathSignal, StandardStreams, Descriptors, Exec };

struct ChildFailure {
  Stage stage;
  int err;
};

std::string stage_text(Stage stage) {
  switch (stage) {
    case Stage::ProcessGroup:
      return "cannot create its process group";
    case Stage::DeathSignal:
      return "cannot set its parent-death signal";
    case Stage::StandardStreams:
      return "cannot set up its standard streams";
    case Stage::Descriptors:
      return "cannot set up its inherited descriptors";
    case Stage::Exec:
      return "cannot execute it";
  }
  return "unknown failure";
}

// Everything the child needs, prepared before the clone so that the child only makes
// async-signal-safe system calls.
struct ChildPlan {
  const char* path;
  char* const* argv;
  char* const* envp;
  std::array<int, 3> stdio;
  const std::vector<int>* keep_fds;
  pid_t parent;
  int report_fd;
};

// The child's own functions, which end in _exit or execve on the child's stack, are not
// instrumented by AddressSanitizer: it takes the switch to that stack for a corrupt one and warns.
#define OSH_CHILD_CODE __attribute__((no_sanitize("address")))

[[noreturn]] OSH_CHILD_CODE void child_fail(const ChildPlan& plan, Stage stage) {
  const ChildFailure failure{stage, errno};
  [[maybe_unused]] const ssize_t n = ::write(plan.report_fd, &failure, sizeof failure);
  ::_exit(127);
}

void mark_all_cloexec_from(int first) {
  if (::close_range(unsigned(first), ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  // Kernels before 5.11: walk the descriptor table.
  rlimit limit;
  int max_fd = 65536;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    max_fd = int(std::min<rlim_t>(limit.rlim_cur, 1 << 20));
  }
  for (int fd = first; fd < max_fd; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

[[noreturn]] OSH_CHILD_CODE void run_child(ChildPlan& plan) {
  if (::setpgid(0, 0) != 0) child_fail(plan, Stage::ProcessGroup);
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail(plan, Stage::DeathSignal);
  // The parent may have died before prctl(): then nobody would ever kill us.
  if (::getppid() != plan.parent) ::_exit(127);

  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);  // EINVAL for some: fine
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  // Move sources out of 0..2 first, so that one dup2() cannot clobber another's source.
  std::array<int, 3> stdio = plan.stdio;  // the plan is the parent's memory
  for (int& src : stdio) {
    if (src < 3) src = ::fcntl(src, F_DUPFD_CLOEXEC, 3);
    if (src < 0) child_fail(plan, Stage::StandardStreams);
  }
  for (int target = 0; target < 3; ++target) {
    if (::dup2(stdio[size_t(target)], target) < 0) child_fail(plan, Stage::StandardStreams);
  }
  // Close-on-exec rather than close: the report pipe must stay open until execve() succeeds.
  mark_all_cloexec_from(3);
  for (int fd : *plan.keep_fds) {
    if (::fcntl(fd, F_SETFD, 0) != 0) child_fail(plan, Stage::Descriptors);
  }
  ::execve(plan.path, plan.argv, plan.envp);
  child_fail(plan, Stage::Exec);
}

OSH_CHILD_CODE int child_entry(void* plan) { run_child(*static_cast<ChildPlan*>(plan)); }

// Starts run_child in a process that shares the parent's memory, on a stack of its own, while
// the calling thread waits until it has exec'ed or exited (CLONE_VM | CLONE_VFORK), as glibc's
// posix_spawn does; posix_spawn itself cannot set the death signal. fork() copied the harness's
// page tables and left every page it wrote afterwards to a copy-on-write fault: with 64 MiB of
// heap written between spawns, 100 spawns took 24 s that way and 0.6 s this way (vm_bench
// BM_SpawnTrue, docs/performance.md). Returns the pid, or -1 with errno.
pid_t clone_child(ChildPlan& plan) {
  constexpr size_t kStackBytes = 64 << 10;
  void* const stack = ::mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  // No handler of the parent may run in the child, which shares its memory: every signal is
  // blocked until the child has set every disposition to the default (run_child).
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  const pid_t pid = ::clone(child_entry, static_cast<char*>(stack) + kStackBytes,
                            CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
  const int err = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::munmap(stack, kStackBytes);
  errno = err;
  return pid;
}

// Opens what a Redirect names in the parent; returns the descriptor to hand to the child.
int open_redirect(const Redirect& redirect, bool for_input, UniqueFd& holder,
                  const std::string& what) {
  if (redirect.fd_or_negative() >= 0) return redirect.fd_or_negative();
  const bool null = redirect.path().empty();
  const fs::path path = null ? fs::path("/dev/null") : redirect.path();
  int flags = O_WRONLY | O_CREAT | O_TRUNC;
  if (for_input) flags = O_RDONLY;
  if (!for_input && null) flags = O_WRONLY;
  holder.reset(::open(path.c_str(), flags | O_CLOEXEC, 0644));
  if (holder.get() < 0) {
    throw InfraError(errno_message("cannot open " + path.string() + " for " + what, errno));
  }
  return holder.get();
}

ExitStatus decode(const siginfo_t& info) {
  ExitStatus status;
  if (info.si_code == CLD_EXITED) {
    status.code = info.si_status;
  } else {
    status.signaled = true;
    status.signal = info.si_status;
    status.core_dumped = info.si_code == CLD_DUMPED;
  }
  return status;
}

}  // namespace

std::optional<fs::path> find_executable(std::string_view name, std::string_view path_list) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string_view::npos) {
    if (is_executable_file(fs::path(name))) return fs::path(name);
    return std::nullopt;
  }
  size_t begin = 0;
  while (begin <= path_list.size()) {
    size_t end = path_list.find(':', begin);
    if (end == std::string_view::npos) end = path_list.size();
    const std::string_view dir = path_list.substr(begin, end - begin);
    const fs::path candidate = (dir.empty() ? fs::path(".") : fs::path(dir)) / fs::path(name);
    if (is_executable_file(candidate)) return candidate;
    begin = end + 1;
  }
  return std::nullopt;
}

std::optional<fs::path> find_executable(std::string_view name) {
  if (const char* path = std::getenv("PATH")) return find_executable(name, path);
  std::string fallback(::confstr(_CS_PATH, nullptr, 0), '\0');
  ::confstr(_CS_PATH, fallback.data(), fallback.size());
  fallback.resize(std::strlen(fallback.c_str()));
  return find_executable(name, fallback);
}

std::string ExitStatus::describe() const {
  if (!signaled) return "exited with status " + std::to_string(code);
  std::string text = "killed by " + signal_name(signal);
  if (core_dumped) text += ", core dumped";
  return text;
}

Redirect Redirect::fd(int fd) {
  Redirect r;
  r.fd_ = fd;
  return r;
}

Redirect Redirect::file(std::filesystem::path path) {
  Redirect r;
  r.path_ = std::move(path);
  return r;
}

Subprocess Subprocess::spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
  if (argv.empty()) throw InfraError("cannot start a process: empty argv");
  const std::string& program = argv.front();
  const auto path = find_executable(program);
  if (!path) {
    const char* search = std::getenv("PATH");
    throw InfraError("cannot start '" + program + "': " +
                     (program.find('/') != std::string::npos
                          ? "no such executable file"
                          : "not found in PATH (" + std::string(search ? search : "") + ")"));
  }
  for (int fd : options.keep_fds) {
    if (fd < 3 || ::fcntl(fd, F_GETFD) < 0) {
      throw InfraError("cannot start '" + program + "': descriptor " + std::to_string(fd) +
                       " to inherit is not an open descriptor >= 3");
    }
  }

  std::array<UniqueFd, 3> holders;
  ChildPlan plan{};
  plan.stdio = {
      open_redirect(options.stdin_from, true, holders[0], "the standard input of " + program),
      open_redirect(options.stdout_to, false, holders[1], "the standard output of " + program),
      open_redirect(options.stderr_to, false, holders[2], "the standard error of " + program)};

  std::vector<char*> c_argv;
  c_argv.reserve(argv.size() + 1);
  for (const auto& arg : argv) c_argv.push_back(const_cast<char*>(arg.c_str()));
  c_argv.push_back(nullptr);
  const std::string path_string = path->string();
  plan.path = path_string.c_str();
  plan.argv = c_argv.data();
  std::vector<char*> c_envp;
  if (options.environment) {
    for (const auto& variable : *options.environment)
      c_envp.push_back(const_cast<char*>(variable.c_str()));
    c_envp.push_back(nullptr);
  }
  plan.envp = options.environment ? c_envp.data() : environ;
  plan.keep_fds = &options.keep_fds;
  plan.parent = ::getpid();

  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    throw InfraError(errno_message("cannot start '" + program + "': pipe2", errno));
  }
  UniqueFd report_read(report[0]);
  UniqueFd report_write(report[1]);
  plan.report_fd = report_write.get();

  const pid_t pid = clone_child(plan);
  if (pid < 0) throw InfraError(errno_message("cannot start '" + program + "': clone", errno));
  report_write.reset();

  ChildFailure failure{};
  ssize_t n;
  do {
    n = ::read(report_read.get(), &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n == ssize_t(sizeof failure)) {
    siginfo_t info{};
    ::waitid(P_PID, id_t(pid), &info, WEXITED);
    throw InfraError(errno_message("cannot start " + path_string + ": " + stage_text(failure.stage),
                                   failure.err));
  }

  // The child has exec'ed (the pipe closed), so it cannot be reaped by anyone but us yet.
  const int pidfd = ::pidfd_open(pid, 0);
  if (pidfd < 0) {
    const int err = errno;
    ::kill(-pid, SIGKILL);
    siginfo_t info{};
    ::waitid(P_PID, id_t(pid), &info, WEXITED);
    throw InfraError(errno_message("cannot watch " + program + ": pidfd_open", err));
  }
  return Subprocess(pid, pidfd);
}

Subprocess::Subprocess(Subprocess&& other) noexcept
    : pid_(other.pid_), pidfd_(other.pidfd_), status_(std::move(other.status_)) {
  other.pid_ = -1;
  other.pidfd_ = -1;
}

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = std::exchange(other.pid_, -1);
    pidfd_ = std::exchange(other.pidfd_, -1);
    status_ = std::move(other.status_);
  }
  return *this;
}

Subprocess::~Subprocess() { release(); }

void Subprocess::release() noexcept {
  if (pidfd_ < 0) return;
  if (!status_) {
    signal_group(SIGKILL);
    siginfo_t info{};
    while (::waitid(P_PIDFD, id_t(pidfd_), &info, WEXITED) != 0 && errno == EINTR) {
    }
  }
  ::close(pidfd_);
  pidfd_ = -1;
  pid_ = -1;
}

const std::optional<ExitStatus>& Subprocess::try_wait() {
  if (status_ || pidfd_ < 0) return status_;
  siginfo_t info{};
  int rc;
  do {
    rc = ::waitid(P_PIDFD, id_t(pidfd_), &info, WEXITED | WNOHANG);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) throw InfraError(errno_message("waitid for pid " + std::to_string(pid_), errno));
  if (info.si_pid != 0) status_ = decode(info);
  return status_;
}

const std::optional<ExitStatus>& Subprocess::wait_for(std::chrono::milliseconds timeout) {
  const int64_t deadline = monotonic_ns() + int64_t(timeout.count()) * 1'000'000;
  while (!try_wait()) {
    const int64_t left_ms = (deadline - monotonic_ns() + 999'999) / 1'000'000;
    if (left_ms <= 0) break;
    pollfd pfd{pidfd_, POLLIN, 0};
    const int rc = ::poll(&pfd, 1, int(std::min<int64_t>(left_ms, 1 << 30)));
    if (rc < 0 && errno != EINTR) throw InfraError(errno_message("poll on a pidfd", errno));
  }
  return status_;
}

const ExitStatus& Subprocess::wait() {
  while (!wait_for(std::chrono::hours(1))) {
  }
  return *status_;
}

void Subprocess::signal_group(int sig) {
  // An unreaped child (even a zombie) still holds its pid and process group id.
  if (pid_ > 0 && !status_) ::kill(-pid_, sig);
}

const ExitStatus& Subprocess::kill_group() {
  signal_group(SIGKILL);
  return wait();
}

}  // namespace osh
