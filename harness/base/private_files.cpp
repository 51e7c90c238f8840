#include "harness/base/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "harness/base/errors.h"

namespace osh {

void make_private_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InfraError("cannot create " + dir.string() + ": " + ec.message());
  // chmod, not the mode of mkdir: the umask may take bits away, and the folder may exist already.
  if (::chmod(dir.c_str(), 0700) != 0)
    throw InfraError(errno_message("cannot make " + dir.string() + " private (mode 0700)", errno));
}

int open_private_file(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  if (::fchmod(fd, 0600) != 0) {
    const int err = errno;
    ::close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

}  // namespace osh
