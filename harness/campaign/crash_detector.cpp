#include "harness/campaign/crash_detector.h"

#include "harness/base/escape.h"
#include "harness/base/signals.h"

namespace osh::campaign {
namespace {

std::optional<uint64_t> parse_hex(std::string_view text) {
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  if (text.empty() || text.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (const char c : text) {
    const int d = (c >= '0' && c <= '9')   ? c - '0'
                  : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                           : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<uint64_t>(d);
  }
  return v;
}

}  // namespace

std::string function_of(const std::string& symbol) { return symbol.substr(0, symbol.rfind('+')); }

CrashDetector::CrashDetector(const Symbolizer* symbolizer, int expected_exit_code)
    : symbolizer_(symbolizer), expected_exit_code_(expected_exit_code) {}

void CrashDetector::on_marker(const marker::MarkerEvent& event) {
  if (event.category != "SYS") return;
  if (event.event == "PANIC" && !panic_) {
    panic_ = CrashInfo{event.fields.size() > 0 ? escape_text(event.fields[0].text) : "UNKNOWN",
                       event.fields.size() > 1 ? escape_text(event.fields[1].text) : "",
                       {}};
  } else if (event.event == "FRAME" && panic_ && event.fields.size() >= 2 &&
             panic_->frames.size() < 64) {
    const auto address = parse_hex(event.fields[1].text);
    if (!address) return;
    Frame frame{static_cast<int>(event.fields[0].u), *address, ""};
    if (symbolizer_) symbolizer_->symbolize(*address, frame.index > 0).swap(frame.symbol);
    panic_->frames.push_back(std::move(frame));
  } else if (event.event == "EXIT" && !event.fields.empty()) {
    exit_marker_code_ = static_cast<int>(event.fields[0].u);
  }
}

void CrashDetector::finish(const vm::VmExit* exit, RunResult& result) const {
  if (panic_) {
    std::string where;
    for (const auto& f : panic_->frames) {
      if (!f.symbol.empty()) {
        where = f.symbol;
        break;
      }
    }
    result.findings.push_back(
        {Verdict::Crash,
         "guest panic " + panic_->kind + (where.empty() ? "" : " in " + where) +
             (panic_->detail.empty() ? "" : " (" + panic_->detail + ")"),
         "CRASH " + panic_->kind + (where.empty() ? "" : " " + function_of(where))});
    result.crash = panic_;
  }
  if (!exit || exit->how == vm::VmExit::How::Killed) return;

  if (exit->how == vm::VmExit::How::Signaled) {
    result.findings.push_back({Verdict::Crash,
                               "QEMU was killed by " + signal_name(exit->signal) +
                                   (exit->stderr_tail.empty() ? "" : ": " + exit->stderr_tail),
                               "CRASH QEMU signal " + std::to_string(exit->signal)});
    if (!result.crash) result.crash = CrashInfo{"QEMU_SIGNAL", signal_name(exit->signal), {}};
    return;
  }
  if (exit->shutdown_reason == "guest-reset" && !exit->guest_exit_code) {
    result.findings.push_back(
        {Verdict::Crash,
         "the guest reset itself (a triple fault, or a reboot it did not announce); QEMU runs "
         "with -no-reboot",
         "CRASH TRIPLE_FAULT"});
    if (!result.crash) result.crash = CrashInfo{"TRIPLE_FAULT", "guest-reset", {}};
    return;
  }
  if (!exit->status_known && exit->shutdown_reason.empty() && !exit_marker_code_) {
    // The backend hides QEMU's status: an end that was neither a shutdown nor announced by the
    // guest may be QEMU failing, a signal from outside or an exit device the guest wrote to
    // without saying so. None of these is a pass.
    result.findings.push_back(
        {Verdict::Crash,
         "the VM ended without a shutdown and the guest announced no SYS:EXIT; this backend "
         "does not show QEMU's exit status" +
             (exit->stderr_tail.empty() ? "" : ": " + exit->stderr_tail),
         "CRASH VM ended unannounced"});
    return;
  }
  if (!exit->guest_exit_code && exit->status != 0) {
    result.findings.push_back(
        {Verdict::Crash,
         "QEMU exited with status " + std::to_string(exit->status) +
             (exit->stderr_tail.empty() ? " and no message" : ": " + exit->stderr_tail),
         "CRASH QEMU exit " + std::to_string(exit->status)});
    return;
  }
  // Without isa-debug-exit, the code the guest announced counts; a clean power-off is 0.
  const int code = exit->guest_exit_code.value_or(exit_marker_code_.value_or(0));
  if (code != expected_exit_code_ && !panic_) {
    result.findings.push_back({Verdict::Fail,
                               "guest exited with code " + std::to_string(code) + ", expected " +
                                   std::to_string(expected_exit_code_),
                               "FAIL exit-code " + std::to_string(code)});
  }
  if (exit_marker_code_ && exit->guest_exit_code && *exit_marker_code_ != *exit->guest_exit_code) {
    result.findings.push_back({Verdict::Fail,
                               "SYS:EXIT announced code " + std::to_string(*exit_marker_code_) +
                                   " but QEMU reported " + std::to_string(*exit->guest_exit_code),
                               "FAIL exit-code mismatch"});
  }
}

ExitInfo exit_info(const vm::VmExit& exit) {
  ExitInfo info;
  switch (exit.how) {
    case vm::VmExit::How::Exited:
      info.how = exit.status_known ? "exited" : "ended";
      break;
    case vm::VmExit::How::Signaled:
      info.how = "signaled";
      break;
    case vm::VmExit::How::Killed:
      info.how = "killed";
      break;
  }
  info.status = exit.status;
  info.signal = exit.signal;
  info.guest_exit_code = exit.guest_exit_code;
  info.shutdown_reason = exit.shutdown_reason;
  return info;
}

}  // namespace osh::campaign
