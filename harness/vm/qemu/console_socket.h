#pragma once
// A guest serial port as QEMU's backends hand it over: a unix socket the harness listens on and
// QEMU connects to (libvirt), or a pair of FIFOs (the QEMU backend, chardev pipe), whose capacity
// counts bytes where a socket's counts QEMU's one-byte writes. Reads are big; while bytes keep
// coming it pauses briefly between reads, because QEMU's serial port writes each guest byte with
// its own system call (docs/vm.md). Writes never block.
#include <poll.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "harness/base/unique_fd.h"
#include "harness/vm/vm.h"

namespace osh::vm::qemu {

class ConsoleSocket {
 public:
  ConsoleSocket() = default;
  explicit ConsoleSocket(UniqueFd fd) : fd_(std::move(fd)) {}
  // Makes `<prefix>.in` and `<prefix>.out` (0600) for `-chardev pipe,path=<prefix>` and opens the
  // harness's ends. The guest's side holds 1 MiB (the default pipe-max-size) before QEMU has to
  // keep the UART busy, against 278 writes for a socket: a deterministic guest never waits for a
  // harness that falls behind by less (docs/determinism.md). Throws osh::InfraError.
  static ConsoleSocket fifos(const std::filesystem::path& prefix);

  bool connected() const { return bool(fd_); }
  // What to poll for guest output: nothing (fd -1) once the peer closed its end.
  pollfd output_poll() const { return {eof_ ? -1 : fd_.get(), POLLIN, 0}; }
  // What to poll while console input waits for room (then call flush()): nothing otherwise.
  pollfd input_poll() const;
  bool eof() const { return eof_; }

  // Reads and delivers what is there (at most 1 MiB, so that a flooding guest cannot starve
  // the caller's other work); while more keeps coming, pauses between reads until
  // `coalesce_until_ns`. True when it delivered something.
  bool read(VmListener& listener, int64_t coalesce_until_ns);
  // After QEMU exited: reads and delivers up to the end of the stream, or until `deadline_ns`.
  void drain(VmListener& listener, int64_t deadline_ns);
  // The same without a listener (kill and shutdown paths): kept for deliver_stash().
  void stash(int64_t deadline_ns);
  bool deliver_stash(VmListener& listener);

  // Queues bytes for the guest and writes what the socket takes now; flush() writes more.
  void write(std::string_view bytes);
  void flush();

 private:
  UniqueFd fd_;        // reads, and writes too when it is a socket
  UniqueFd to_guest_;  // the FIFO QEMU reads from
  bool eof_ = false;
  std::string input_;    // for the guest, not yet taken by the socket
  std::string stashed_;  // read without a listener, not yet delivered
  int64_t stashed_ns_ = 0;
};

// poll() on one descriptor, retried on EINTR; true when it became ready.
bool poll_one(int fd, short events, int timeout_ms);

}  // namespace osh::vm::qemu
