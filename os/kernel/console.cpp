#include "os/kernel/console.h"

#include "os/arch/x86_64/serial.h"

namespace rayos::kernel {
namespace {

constinit uint64_t next_sequence = 0;
constinit bool at_line_start = true;

}  // namespace

uint64_t LockedConsole::next_seq() const { return next_sequence; }

void LockedConsole::advance_seq() { ++next_sequence; }

void LockedConsole::write_line(StringView bytes) {
  if (bytes.empty()) return;
  // The flag is cleared first: if this write is interrupted by a fault, the panic sees a partial
  // line and starts its own on a new one.
  at_line_start = false;
  arch::serial_write(bytes);
  at_line_start = bytes[bytes.size() - 1] == '\n';
}

void LockedConsole::finish_partial_line() {
  if (!at_line_start) write_line("\n");
}

void emit_marker(MarkerWriter& writer) {
  arch::InterruptGuard guard;
  LockedConsole console(guard);
  StringView line = writer.finish(console.next_seq());
  console.advance_seq();
  console.write_line(line);
}

}  // namespace rayos::kernel
