// libFuzzer target: arbitrary bytes from a QMP peer. The first byte picks the line limit and
// the chunk sizes the stream is cut into, so that line framing across reads is exercised too.
// Everything goes through QmpLineReader (framing, parsing, classification) and then through a
// QmpClient reading a socketpair (id matching, events, protocol errors). Nothing may crash.
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/vm/qemu/qmp_client.h"
#include "harness/vm/qemu/qmp_reader.h"

namespace {

using osh::vm::qemu::QmpClient;
using osh::vm::qemu::QmpLineReader;

void read_in_chunks(std::string_view data, size_t max_line, size_t chunk) {
  QmpLineReader reader(max_line);
  for (size_t pos = 0; pos < data.size(); pos += chunk) {
    reader.feed(data.substr(pos, chunk));
    while (auto parsed = reader.next()) {
      if (parsed->message) {
        (void)osh::vm::qemu::greeting_version(*parsed->message);
        (void)parsed->message->id();
      } else if (parsed->error.empty()) {
        __builtin_trap();  // every rejected line must say why
      }
    }
  }
  reader.finish();
  while (reader.next()) {
  }
}

void read_as_client(std::string_view data) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) return;
  // Larger inputs than the socket buffer are cut: the reader path above sees them whole.
  const ssize_t written = ::write(fds[1], data.data(), data.size());
  ::close(fds[1]);
  if (written >= 0) {
    QmpClient client(fds[0]);
    while (client.read_available()) {
    }
    (void)client.take_events();
  }
  ::close(fds[0]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = bytes[0];
  const std::string_view data(reinterpret_cast<const char*>(bytes + 1), size - 1);
  const size_t max_line =
      control & 0x80 ? size_t(16) << (control & 0x7) : QmpLineReader::kDefaultMaxLine;
  const size_t chunk = size_t((control >> 3) & 0xf) + 1;
  read_in_chunks(data, max_line, chunk);
  read_in_chunks(data, QmpLineReader::kDefaultMaxLine, data.size() + 1);
  read_as_client(data);
  return 0;
}
