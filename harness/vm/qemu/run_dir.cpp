#include "harness/vm/qemu/run_dir.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <mutex>
#include <set>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/unique_fd.h"

namespace osh::vm::qemu {

namespace {

constexpr const char* kOwnerFile = "owner";

std::string read_small_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return "";
  char buf[512];
  const ssize_t n = ::read(fd.get(), buf, sizeof buf);
  return n > 0 ? std::string(buf, size_t(n)) : "";
}

// "<pid> <start time in clock ticks since boot> <pid namespace>" of a process, empty when it is
// gone. The start time tells a reused pid from the process that had it.
std::string process_identity(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  const std::string stat = read_small_file(proc + "/stat");
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return "";
  std::istringstream fields(stat.substr(paren + 1));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {  // field 22: starttime
  }
  char ns[64] = {};
  const ssize_t n = ::readlink((proc + "/ns/pid").c_str(), ns, sizeof ns - 1);
  if (field.empty() || n <= 0) return "";
  return std::to_string(pid) + " " + field + " " + std::string(ns, size_t(n));
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
  const std::string our_namespace = self.substr(self.rfind(' ') + 1);
  size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(parent, ec)) {
    if (!entry.path().filename().string().starts_with("osh-")) continue;
    struct stat st;
    if (::lstat(entry.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid())
      continue;
    const std::string owner = read_small_file(entry.path() / kOwnerFile);
    const size_t space = owner.find(' ');
    if (space == std::string::npos || owner.substr(owner.rfind(' ') + 1) != our_namespace) continue;
    pid_t pid = 0;
    std::from_chars(owner.data(), owner.data() + space, pid);
    if (pid <= 0 || process_identity(pid) == owner) continue;
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
  // Short names keep socket paths well inside sun_path's 108 bytes.
  const std::string tag(name.substr(0, 16));
  std::string tmpl = (parent / fmt::format("osh-{}-XXXXXX", tag.empty() ? "vm" : tag)).string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    throw InfraError(errno_message(
        fmt::format("cannot create the VM run directory {} (set XDG_RUNTIME_DIR or TMPDIR to a "
                    "writable directory)",
                    tmpl),
        errno));
  }
  RunDir dir(tmpl);  // mkdtemp creates it with mode 0700
  // One write of the whole line: a sweeper reads all of it or nothing.
  const std::string owner = process_identity(::getpid());
  UniqueFd fd(::open((dir.path_ / kOwnerFile).c_str(),
                     O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd || ::write(fd.get(), owner.data(), owner.size()) != ssize_t(owner.size()))
    throw InfraError(
        errno_message("cannot write the owner of the VM run directory " + tmpl, errno));
  return dir;
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
