#include "harness/base/atomic_write.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/unique_fd.h"

namespace osh {
namespace {

// The pid and a counter make the name unique, so that two processes or threads replacing the
// same file never write into one temporary file.
std::filesystem::path temporary_beside(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  auto tmp = path;
  tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  return tmp;
}

}  // namespace

void atomic_write(const std::filesystem::path& path, std::string_view content) {
  const auto tmp = temporary_beside(path);
  const auto fail = [&](const std::string& step, int err) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw InfraError(errno_message("cannot write " + path.string() + " (" + step + ")", err));
  };
  // 0666 and O_EXCL: the file gets the user's umask, like any other file the harness writes,
  // and a leftover of a killed process is never written into.
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (!fd) fail("creating " + tmp.string(), errno);
  while (!content.empty()) {
    const ssize_t n = ::write(fd.get(), content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("writing " + tmp.string(), errno);
    content.remove_prefix(static_cast<size_t>(n));
  }
  // The data reaches the disk before the rename, or a crash could leave `path` naming an empty
  // file. The folder is not synced: losing the rename itself leaves the old, whole file.
  // close() has nothing left to report once fsync() has succeeded.
  if (::fsync(fd.get()) != 0) fail("syncing " + tmp.string(), errno);
  fd.reset();
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("renaming " + tmp.string(), errno);
}

void atomic_write(const std::filesystem::path& path,
                  const std::function<void(std::ostream&)>& write) {
  std::ostringstream text;
  write(text);
  atomic_write(path, text.view());
}

}  // namespace osh
