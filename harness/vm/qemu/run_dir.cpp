#include "harness/vm/qemu/run_dir.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <set>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/unique_fd.h"

namespace osh::vm::qemu {

namespace {

std::string read_small_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return "";
  char buf[512];
  const ssize_t n = ::read(fd.get(), buf, sizeof buf);
  return n > 0 ? std::string(buf, size_t(n)) : "";
}

std::string base36(uint64_t value) {
  char buf[16];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, value, 36).ptr);
}

// "<pid>.<start time in clock ticks since boot>.<pid namespace inode>" of a process in base 36,
// empty when it is gone. The start time tells a reused pid from the process that had it; the
// namespace tells whether our /proc can answer for that pid at all.
std::string process_identity(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  const std::string stat = read_small_file(proc + "/stat");
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return "";
  std::istringstream fields(stat.substr(paren + 1));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {  // field 22: starttime
  }
  uint64_t start = 0;
  if (std::from_chars(field.data(), field.data() + field.size(), start).ec != std::errc{})
    return "";
  struct stat ns;
  if (::stat((proc + "/ns/pid").c_str(), &ns) != 0) return "";
  return base36(uint64_t(pid)) + "." + base36(start) + "." + base36(ns.st_ino);
}

// The owner identity in "osh-<tag>-<identity>-XXXXXX" (tags may hold '-', identities do not).
std::string_view owner_in_name(std::string_view name) {
  const size_t suffix = name.rfind('-');
  if (suffix == std::string_view::npos) return {};
  const size_t begin = name.rfind('-', suffix - 1);
  if (begin == std::string_view::npos) return {};
  return name.substr(begin + 1, suffix - begin - 1);
}

bool usable_directory(const char* path) {
  if (path == nullptr || *path == '\0') return false;
  struct stat st;
  return ::stat(path, &st) == 0 && S_ISDIR(st.st_mode) && ::access(path, W_OK | X_OK) == 0;
}

}  // namespace

std::filesystem::path run_dir_parent() {
  for (const char* var : {"XDG_RUNTIME_DIR", "TMPDIR"}) {
    const char* value = std::getenv(var);
    if (usable_directory(value)) return value;
  }
  return "/tmp";
}

size_t sweep_stale_run_dirs(const std::filesystem::path& parent) {
  const std::string self = process_identity(::getpid());
  if (self.empty()) return 0;  // no /proc: nothing can be judged
  const std::string our_namespace = self.substr(self.rfind('.'));
  size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("osh-")) continue;
    struct stat st;
    if (::lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid())
      continue;
    const std::string_view owner = owner_in_name(name);
    const size_t dot = owner.find('.');
    if (dot == std::string_view::npos || !owner.ends_with(our_namespace)) continue;
    uint64_t pid = 0;
    if (std::from_chars(owner.data(), owner.data() + dot, pid, 36).ec != std::errc{} || pid == 0 ||
        pid > uint64_t(std::numeric_limits<pid_t>::max()) || process_identity(pid_t(pid)) == owner)
      continue;
    std::error_code ignored;
    if (std::filesystem::remove_all(entry.path(), ignored) > 0) ++removed;
  }
  return removed;
}

RunDir RunDir::create(std::string_view name, const std::filesystem::path& parent) {
  {
    static std::mutex mutex;
    static std::set<std::filesystem::path> swept;
    std::lock_guard lock(mutex);
    if (swept.insert(parent).second) sweep_stale_run_dirs(parent);
  }
  // The owner is in the name, not in a file written afterwards: a harness killed between
  // mkdtemp and that write would leave a folder no sweeper could judge. Short tags keep socket
  // paths well inside sun_path's 108 bytes.
  const std::string tag(name.substr(0, 16));
  std::string tmpl = (parent / fmt::format("osh-{}-{}-XXXXXX", tag.empty() ? "vm" : tag,
                                           process_identity(::getpid())))
                         .string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    throw InfraError(errno_message(
        fmt::format("cannot create the VM run directory {} (set XDG_RUNTIME_DIR or TMPDIR to a "
                    "writable directory)",
                    tmpl),
        errno));
  }
  return RunDir(tmpl);  // mkdtemp creates it with mode 0700
}

RunDir::~RunDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path RunDir::socket_path(std::string_view file) const {
  const std::filesystem::path path = path_ / file;
  constexpr size_t kMax = sizeof(sockaddr_un::sun_path) - 1;
  if (path.native().size() > kMax) {
    throw InfraError(fmt::format(
        "socket path {} is {} bytes, longer than the {} a unix socket allows; set TMPDIR (or "
        "XDG_RUNTIME_DIR) to a shorter directory",
        path.string(), path.native().size(), kMax));
  }
  return path;
}

}  // namespace osh::vm::qemu
