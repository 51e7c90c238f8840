#include "harness/base/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
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

// `private_file`: mode 0600 exactly; otherwise 0666 less the user's umask.
void write_replacing(const std::filesystem::path& path, std::string_view content,
                     bool private_file) {
  const auto tmp = temporary_beside(path);
  const auto fail = [&](const std::string& step, int err) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw InfraError(errno_message("cannot write " + path.string() + " (" + step + ")", err));
  };
  // 0666 and O_EXCL: the file gets the user's umask, like any other file the harness writes,
  // and a leftover of a killed process is never written into. A private file is created 0600,
  // so it is never readable by others, and set to 0600 in case the umask took bits of that.
  UniqueFd fd(
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, private_file ? 0600 : 0666));
  if (!fd) fail("creating " + tmp.string(), errno);
  if (private_file && ::fchmod(fd.get(), 0600) != 0) fail("making it private (mode 0600)", errno);
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

std::string produce(const std::function<void(std::ostream&)>& write) {
  std::ostringstream text;
  write(text);
  return std::move(text).str();
}

}  // namespace

void atomic_write(const std::filesystem::path& path, std::string_view content) {
  write_replacing(path, content, false);
}

void atomic_write(const std::filesystem::path& path,
                  const std::function<void(std::ostream&)>& write) {
  write_replacing(path, produce(write), false);
}

void atomic_write_private(const std::filesystem::path& path, std::string_view content) {
  write_replacing(path, content, true);
}

void atomic_write_private(const std::filesystem::path& path,
                          const std::function<void(std::ostream&)>& write) {
  write_replacing(path, produce(write), true);
}

}  // namespace osh
