#include "harness/vm/testing/fake_vm.h"

#include <poll.h>

#include <algorithm>

#include "harness/base/clock.h"
#include "harness/base/errors.h"

namespace osh::vm::testing {

FakeVm::FakeVm(FakeVmScript script) : counts(script.counts), script_(std::move(script)) {}

void FakeVm::start() {
  spawn_ns_ = monotonic_ns();
  if (!script_.start_error.empty()) throw InfraError(script_.start_error);
}

void FakeVm::pump(std::chrono::milliseconds timeout, VmListener& listener, int wake_fd) {
  if (exit_) return;
  const int64_t now = monotonic_ns();
  if (next_ < script_.steps.size()) {
    const int64_t due = spawn_ns_ + script_.steps[next_].at_ms * 1'000'000;
    if (due > now) {
      // Sleep until the next step, the timeout or the wake descriptor, like a real backend.
      const int64_t wait_ms = std::min<int64_t>(timeout.count(), (due - now + 999'999) / 1'000'000);
      pollfd pfd{wake_fd, POLLIN, 0};
      ::poll(&pfd, wake_fd >= 0 ? 1 : 0, static_cast<int>(wait_ms));
      if (monotonic_ns() < due) return;
    }
  } else {
    pollfd pfd{wake_fd, POLLIN, 0};
    ::poll(&pfd, wake_fd >= 0 ? 1 : 0, static_cast<int>(timeout.count()));
    return;
  }
  // While paused, the guest prints nothing; the script waits.
  if (!running) return;
  ScriptStep& step = script_.steps[next_++];
  const int64_t at = monotonic_ns();
  if (!step.console.empty()) listener.on_console(0, step.console, at);
  if (step.event) {
    step.event->host_ns = at;
    listener.on_vm_event(*step.event);
  }
  if (step.exit) end(*step.exit);
}

void FakeVm::send_console(int, std::string_view bytes) {
  if (exit_) throw InfraError("cannot write to the console of a VM that is not running");
  console_input.append(bytes);
}

void FakeVm::pause() {
  ++counts->pauses;
  if (!ignore_pause) running = false;
}

void FakeVm::resume() {
  ++counts->resumes;
  running = true;
}

nlohmann::json FakeVm::query_status() {
  return {{"running", running}, {"status", running ? "running" : "paused"}};
}

void FakeVm::kill() {
  if (exit_) return;
  ++counts->kills;
  end(VmExit{VmExit::How::Killed, 0, 9, {}, {}, {}, 0});
}

void FakeVm::shutdown(std::chrono::milliseconds) {
  if (exit_) return;
  ++counts->shutdowns;
  end(VmExit{VmExit::How::Exited, 0, 0, {}, "host-qmp-quit", {}, 0});
}

CpuUsage FakeVm::cpu_usage() const {
  const int64_t elapsed = (exit_ ? exit_->host_ns : monotonic_ns()) - spawn_ns_;
  return {elapsed, elapsed / 1'000'000'000 * script_.run_delay_ns_per_s +
                       elapsed % 1'000'000'000 * script_.run_delay_ns_per_s / 1'000'000'000};
}

void FakeVm::end(VmExit exit) {
  exit.host_ns = monotonic_ns();
  exit_ = std::move(exit);
}

VmExit guest_exit(int code) {
  return VmExit{VmExit::How::Exited, 2 * code + 1, 0, code, "guest-shutdown", {}, 0};
}

}  // namespace osh::vm::testing
