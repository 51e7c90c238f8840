#pragma once
// How a QEMU process ended, decoded into a VmExit.
//
// QEMU ends in three ways, and they are told apart like this:
//  - QEMU itself shuts down (QMP quit, guest power-off, a guest reset under -no-reboot such as
//    a triple fault): status 0, after a SHUTDOWN event carrying the reason.
//  - QEMU fails (bad option, missing file, fatal runtime error): status 1, and error_report()
//    has written "qemu-system-x86_64: <message>" to stderr first. No SHUTDOWN event.
//  - The guest writes v to isa-debug-exit: QEMU calls exit((v << 1) | 1) on the spot. Odd
//    status, no SHUTDOWN event, nothing on stderr.
// So an odd status without a SHUTDOWN event is a guest exit, except status 1 (which is both
// "guest wrote 0" and "QEMU failed") when stderr holds an error line, i.e. a non-empty line
// that is not a warning. Exit statuses are 8 bits wide, so v is decoded modulo 128.
#include <optional>
#include <string>
#include <string_view>

#include "harness/base/subprocess.h"
#include "harness/vm/vm.h"

namespace osh::vm::qemu {

struct ExitEvidence {
  ExitStatus status;
  bool killed_by_harness = false;              // we sent the SIGKILL
  std::optional<std::string> shutdown_reason;  // reason of the last SHUTDOWN event, if any
  std::string stderr_text;                     // QEMU's stderr (or its end)
  int64_t host_ns = 0;
};

VmExit decode_exit(const ExitEvidence& evidence);

// True when QEMU's stderr holds a line other than warnings.
bool stderr_has_error(std::string_view stderr_text);

// The last `max_lines` lines of `text`, at most `max_bytes`, escaped for display.
std::string tail_lines(std::string_view text, size_t max_lines = 20, size_t max_bytes = 4096);

}  // namespace osh::vm::qemu
