#include "harness/vm/qemu/console_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <ctime>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/vm/qemu/deadline.h"

namespace osh::vm::qemu {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxBytesPerRead = 1 << 20;
// A 180 KB flood took 1.2 s read byte by byte and 0.45 s with this pause between reads while
// bytes keep arriving (docs/vm.md). It delays the stamps of the bytes that follow the first one
// of a burst by at most this much.
constexpr int64_t kCoalesceNs = 100'000;
constexpr int kFifoCapacity = 1 << 20;

UniqueFd make_fifo(const std::filesystem::path& path, int flags) {
  if (::mkfifo(path.c_str(), 0600) != 0)
    throw InfraError(errno_message("cannot make the console FIFO " + path.string(), errno));
  UniqueFd fd(::open(path.c_str(), flags | O_NONBLOCK | O_CLOEXEC));
  if (!fd) throw InfraError(errno_message("cannot open the console FIFO " + path.string(), errno));
  return fd;
}

}  // namespace

bool poll_one(int fd, short events, int timeout_ms) {
  pollfd pfd{fd, events, 0};
  int rc;
  do {
    rc = ::poll(&pfd, 1, timeout_ms);
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

ConsoleSocket ConsoleSocket::fifos(const std::filesystem::path& prefix) {
  // Read-only, so that QEMU's exit is an end of file; the input end read-write, so that opening
  // it needs no reader and writing it never raises SIGPIPE.
  ConsoleSocket console(make_fifo(prefix.string() + ".out", O_RDONLY));
  console.to_guest_ = make_fifo(prefix.string() + ".in", O_RDWR);
  // Above pipe-max-size (or a user's pipe-user-pages-soft, hundreds of VMs) this fails and the
  // FIFO keeps 64 KiB: still bytes, not writes.
  ::fcntl(console.fd_.get(), F_SETPIPE_SZ, kFifoCapacity);
  return console;
}

pollfd ConsoleSocket::input_poll() const {
  return {input_.empty() ? -1 : to_guest_ ? to_guest_.get() : fd_.get(), POLLOUT, 0};
}

bool ConsoleSocket::read(VmListener& listener, int64_t coalesce_until_ns) {
  std::array<char, kReadChunk> buffer;
  size_t total = 0;
  while (!eof_ && total < kMaxBytesPerRead) {
    const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
    if (n > 0) {
      const int64_t now = monotonic_ns();
      listener.on_console(0, std::string_view(buffer.data(), size_t(n)), now);
      total += size_t(n);
      if (size_t(n) < buffer.size() && now + kCoalesceNs < coalesce_until_ns) {
        const timespec pause{0, long(kCoalesceNs)};
        ::nanosleep(&pause, nullptr);
      }
    } else if (n == 0 || errno == ECONNRESET) {
      eof_ = true;
    } else if (errno == EAGAIN) {
      break;
    } else if (errno != EINTR) {
      throw InfraError(errno_message("read from the guest console socket", errno));
    }
  }
  return total > 0;
}

void ConsoleSocket::drain(VmListener& listener, int64_t deadline_ns) {
  while (connected() && !eof_) {
    if (!read(listener, 0) && !eof_ && !poll_one(fd_.get(), POLLIN, poll_ms_until(deadline_ns)))
      break;
  }
}

void ConsoleSocket::stash(int64_t deadline_ns) {
  std::array<char, kReadChunk> buffer;
  while (connected() && !eof_) {
    const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
    if (n > 0) {
      if (stashed_.empty()) stashed_ns_ = monotonic_ns();
      stashed_.append(buffer.data(), size_t(n));
    } else if (n == 0 || errno == ECONNRESET) {
      eof_ = true;
    } else if (errno == EAGAIN) {
      if (!poll_one(fd_.get(), POLLIN, poll_ms_until(deadline_ns))) break;
    } else if (errno != EINTR) {
      break;
    }
  }
}

bool ConsoleSocket::deliver_stash(VmListener& listener) {
  if (stashed_.empty()) return false;
  listener.on_console(0, stashed_, stashed_ns_);
  stashed_.clear();
  return true;
}

void ConsoleSocket::write(std::string_view bytes) {
  input_.append(bytes);
  flush();
}

void ConsoleSocket::flush() {
  while (!input_.empty()) {
    const ssize_t n =
        to_guest_ ? ::write(to_guest_.get(), input_.data(), input_.size())
                  : ::send(fd_.get(), input_.data(), input_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      input_.erase(0, size_t(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      return;  // the next flush() finishes the job when the socket takes more
    } else {
      input_.clear();  // QEMU is gone; its exit is what gets reported
      return;
    }
  }
}

}  // namespace osh::vm::qemu
