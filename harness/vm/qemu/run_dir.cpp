#include "harness/vm/qemu/run_dir.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "harness/base/errors.h"

namespace osh::vm::qemu {

namespace {

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

RunDir RunDir::create(std::string_view name, const std::filesystem::path& parent) {
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
