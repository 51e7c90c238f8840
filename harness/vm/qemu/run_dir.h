#pragma once
// A private (0700) directory per VM for its sockets (and its QEMU log when no output directory
// is set). Removed with its contents when the RunDir is destroyed; one that a harness killed
// with SIGKILL left behind is removed by the next harness that makes one in the same parent.
#include <filesystem>
#include <string_view>
#include <utility>

namespace osh::vm::qemu {

// Where run directories go: $XDG_RUNTIME_DIR when set and a writable directory (a per-user
// tmpfs on systemd hosts), else $TMPDIR when set and usable, else /tmp.
std::filesystem::path run_dir_parent();

// Removes the run directories in `parent` whose owner process is gone, and returns how many.
// A run directory's name carries its owner: the pid, start time and pid namespace of the process
// that made it. Directories of live processes, of other users, of another pid namespace (where
// /proc cannot tell) and of an older osharness (no owner in the name) stay.
size_t sweep_stale_run_dirs(const std::filesystem::path& parent);

class RunDir {
 public:
  // mkdtemp("<parent>/osh-<name>-<owner>-XXXXXX"). The first RunDir of a process in
  // a parent sweeps that parent first (sweep_stale_run_dirs). Throws osh::InfraError naming the
  // path and errno.
  static RunDir create(std::string_view name,
                       const std::filesystem::path& parent = run_dir_parent());

  RunDir(RunDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  RunDir& operator=(RunDir&&) = delete;
  RunDir(const RunDir&) = delete;
  RunDir& operator=(const RunDir&) = delete;
  ~RunDir();

  const std::filesystem::path& path() const { return path_; }

  // <run dir>/<file> for a unix socket. Throws osh::InfraError when the path does not fit in
  // sockaddr_un::sun_path, with what to do about it.
  std::filesystem::path socket_path(std::string_view file) const;

 private:
  explicit RunDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace osh::vm::qemu
