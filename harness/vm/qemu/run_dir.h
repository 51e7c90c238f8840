#pragma once
// A private (0700) directory per VM for its sockets (and its QEMU log when no output directory
// is set). Removed with its contents when the RunDir is destroyed.
#include <filesystem>
#include <string_view>
#include <utility>

namespace osh::vm::qemu {

// Where run directories go: $XDG_RUNTIME_DIR when set and a writable directory (a per-user
// tmpfs on systemd hosts), else $TMPDIR when set and usable, else /tmp.
std::filesystem::path run_dir_parent();

class RunDir {
 public:
  // mkdtemp("<parent>/osh-<name>-XXXXXX"). Throws osh::InfraError naming the path and errno.
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
