#include "os/kernel/shell.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/interrupts.h"
#include "os/arch/x86_64/serial.h"
#include "os/core/byte_ring.h"
#include "os/core/cmdline.h"
#include "os/core/line_discipline.h"
#include "os/core/text_buffer.h"
#include "os/kernel/console.h"
#include "os/kernel/metrics.h"
#include "os/kernel/scenario.h"

namespace rayos::kernel {
namespace {

constinit ByteRing<4096> input{};
constinit LineDiscipline discipline{};

void on_serial_irq() {
  uint8_t byte;
  while (arch::serial_read(byte)) input.push(byte);
}

// The next received byte; sleeps until one arrives.
uint8_t read_byte() {
  for (;;) {
    arch::cli();
    uint8_t byte;
    if (input.pop(byte)) {
      arch::sti();
      return byte;
    }
    arch::sti_hlt();
  }
}

void handle_line(StringView line, uint64_t default_seed) {
  RunRequest request;
  TextBuffer error;
  switch (parse_shell_line(line, default_seed, request, error)) {
    case ShellLine::kEmpty:
      return;
    case ShellLine::kMetrics:
      emit_metrics();
      return;
    case ShellLine::kRun:
      if (run_scenario(request, error)) return;  // not reached: a scenario ends the guest
      break;
    case ShellLine::kError:
      break;
  }
  emit<markers::kShellError>(error.view());
}

}  // namespace

void shell_input_init() { arch::set_irq_handler(arch::kSerialIrq, on_serial_irq); }

void run_shell(uint64_t default_seed) {
  size_t dropped_reported = 0;
  for (;;) {
    uint8_t byte = read_byte();
    if (input.dropped() != dropped_reported) {
      dropped_reported = input.dropped();
      emit<markers::kShellError>(
          TextBuffer().add("input_overflow_dropped=").add(uint64_t{dropped_reported}).view());
    }
    switch (discipline.feed(byte)) {
      case LineDiscipline::Event::kLine:
        handle_line(discipline.line(), default_seed);
        break;
      case LineDiscipline::Event::kOverflow:
        emit<markers::kShellError>(TextBuffer()
                                       .add("line_longer_than_")
                                       .add(uint64_t{LineDiscipline::kMaxLine})
                                       .add("_bytes")
                                       .view());
        break;
      case LineDiscipline::Event::kNone:
        break;
    }
  }
}

}  // namespace rayos::kernel
