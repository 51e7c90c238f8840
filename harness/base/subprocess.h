#pragma once
// Child processes started from an argv, never through a shell, and never outliving the harness.
//
// A child gets: the standard streams the caller chose (/dev/null by default), only the extra
// descriptors listed in keep_fds (everything else is closed at exec), its own process group (so
// that kill_group() reaches anything it forks), default signal dispositions and an empty signal
// mask, and PR_SET_PDEATHSIG(SIGKILL): when the harness dies, even by SIGKILL, the kernel kills
// the child. Caveat of PR_SET_PDEATHSIG: it fires when the *thread* that spawned the child exits,
// so spawn long-lived children from a thread that lives as long as they should.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace osh {

// Looks `name` up the way execvp() would: a name containing '/' is taken as a path, anything
// else is searched in the ':'-separated `path_list` (an empty entry is the current directory).
// Returns the first regular, executable file found.
std::optional<std::filesystem::path> find_executable(std::string_view name,
                                                     std::string_view path_list);
// Same, with the PATH of this process (the default search path when PATH is unset).
std::optional<std::filesystem::path> find_executable(std::string_view name);

struct ExitStatus {
  bool signaled = false;
  int code = 0;    // exit status, when !signaled
  int signal = 0;  // terminating signal, when signaled
  bool core_dumped = false;

  // "exited with status 3", "killed by SIGKILL".
  std::string describe() const;
  bool operator==(const ExitStatus&) const = default;
};

// Where one standard stream of the child comes from or goes to.
class Redirect {
 public:
  static Redirect null() { return Redirect(); }
  // The caller's descriptor, duplicated into the child; the caller keeps ownership.
  static Redirect fd(int fd);
  // A file opened by spawn(): for output created or truncated (mode 0644), for input read-only.
  static Redirect file(std::filesystem::path path);

  int fd_or_negative() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  Redirect() = default;
  int fd_ = -1;
  std::filesystem::path path_;
};

struct SpawnOptions {
  Redirect stdin_from = Redirect::null();
  Redirect stdout_to = Redirect::null();
  Redirect stderr_to = Redirect::null();
  // Descriptors (>= 3) the child inherits under the same numbers. All others are closed.
  std::vector<int> keep_fds;
  // The child's whole environment ("NAME=value" each) when set; this process's otherwise.
  std::optional<std::vector<std::string>> environment;
};

class Subprocess {
 public:
  // Starts argv[0] (a path, or a name looked up in PATH) with this process's environment, or
  // options.environment.
  // Throws osh::InfraError naming the program and the errno when it cannot be started: not
  // found, not executable, exec failure in the child (reported through a close-on-exec pipe).
  static Subprocess spawn(const std::vector<std::string>& argv, const SpawnOptions& options = {});

  Subprocess(Subprocess&& other) noexcept;
  Subprocess& operator=(Subprocess&& other) noexcept;
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;
  // Kills the process group and reaps the child if it is still there.
  ~Subprocess();

  pid_t pid() const { return pid_; }
  // A pidfd: poll() reports it readable once the child has exited. Owned by this object.
  int pidfd() const { return pidfd_; }
  // The exit status once reaped.
  const std::optional<ExitStatus>& status() const { return status_; }

  // Reaps the child if it has exited; never blocks.
  const std::optional<ExitStatus>& try_wait();
  // Waits up to `timeout` for the child to exit.
  const std::optional<ExitStatus>& wait_for(std::chrono::milliseconds timeout);
  const ExitStatus& wait();

  // Sends `sig` to the child's whole process group. No-op once the child was reaped: its pid,
  // and so its group id, may then belong to another process.
  void signal_group(int sig);
  // SIGKILL to the process group, then reap. Safe to call more than once.
  const ExitStatus& kill_group();

 private:
  Subprocess(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
  void release() noexcept;

  pid_t pid_ = -1;
  int pidfd_ = -1;
  std::optional<ExitStatus> status_;
};

}  // namespace osh
