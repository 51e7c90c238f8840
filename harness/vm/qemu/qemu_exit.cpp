#include "harness/vm/qemu/qemu_exit.h"

#include "harness/base/escape.h"

namespace osh::vm::qemu {

bool stderr_has_error(std::string_view stderr_text) {
  size_t begin = 0;
  while (begin < stderr_text.size()) {
    size_t end = stderr_text.find('\n', begin);
    if (end == std::string_view::npos) end = stderr_text.size();
    const std::string_view line = stderr_text.substr(begin, end - begin);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos &&
        line.find("warning:") == std::string_view::npos) {
      return true;
    }
    begin = end + 1;
  }
  return false;
}

std::string tail_lines(std::string_view text, size_t max_lines, size_t max_bytes) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (text.size() > max_bytes) text.remove_prefix(text.size() - max_bytes);
  size_t start = text.size();
  for (size_t n = 0; n < max_lines && start != 0; ++n) {
    const size_t lf = text.rfind('\n', start - 1);
    start = lf == std::string_view::npos ? 0 : lf;
  }
  if (start < text.size() && text[start] == '\n') ++start;
  text.remove_prefix(start);
  // Escaped line by line, so that the tail stays readable as lines.
  std::string out;
  for (size_t begin = 0; begin <= text.size();) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (begin > 0) out += '\n';
    out += escape_text(line);
    begin = end + 1;
  }
  return out;
}

VmExit decode_exit(const ExitEvidence& evidence) {
  VmExit exit;
  exit.host_ns = evidence.host_ns;
  exit.shutdown_reason = evidence.shutdown_reason.value_or("");
  exit.stderr_tail = tail_lines(evidence.stderr_text);
  const ExitStatus& status = evidence.status;
  if (status.signaled) {
    exit.how = evidence.killed_by_harness ? VmExit::How::Killed : VmExit::How::Signaled;
    exit.signal = status.signal;
    return exit;
  }
  exit.how = VmExit::How::Exited;
  exit.status = status.code;
  const bool odd = status.code % 2 == 1;
  const bool qemu_failed = status.code == 1 && stderr_has_error(evidence.stderr_text);
  if (odd && !evidence.shutdown_reason && !qemu_failed)
    exit.guest_exit_code = (status.code - 1) / 2;
  return exit;
}

}  // namespace osh::vm::qemu
