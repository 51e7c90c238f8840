#include "harness/vm/qemu/unix_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "harness/base/errors.h"

namespace osh::vm::qemu {

UniqueFd listen_unix(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.native().size() >= sizeof address.sun_path) {
    throw InfraError("socket path " + path.string() + " is too long for a unix socket");
  }
  std::memcpy(address.sun_path, path.c_str(), path.native().size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) throw InfraError(errno_message("cannot create a unix socket", errno));
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw InfraError(errno_message("cannot bind a unix socket to " + path.string(), errno));
  }
  // Only the harness's user may connect, whatever the umask made of the socket file; QEMU
  // connects before the guest runs, as that user.
  if (::chmod(path.c_str(), 0600) != 0)
    throw InfraError(errno_message("cannot make " + path.string() + " private (mode 0600)", errno));
  if (::listen(fd.get(), 1) != 0) {
    throw InfraError(errno_message("cannot listen on " + path.string(), errno));
  }
  return fd;
}

UniqueFd accept_unix(int listen_fd) {
  for (;;) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) return UniqueFd(fd);
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EAGAIN) return UniqueFd();
    throw InfraError(errno_message("cannot accept a connection on a VM socket", errno));
  }
}

}  // namespace osh::vm::qemu
