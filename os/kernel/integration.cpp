#include "os/kernel/integration.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/interrupts.h"
#include "os/arch/x86_64/serial.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/console.h"
#include "os/kernel/display.h"
#include "os/kernel/sched.h"

namespace rayos::kernel {
namespace {

constexpr uint64_t kAnswerTimeoutNs = 30'000'000'000;
constinit bool screenshots_wanted = false;
constinit volatile bool answered = false;

// The harness's answer arrives as a byte on COM1: taken from the UART's interrupt, which also
// keeps the byte from reaching a scenario that does not expect input.
void on_serial_irq() {
  uint8_t byte = 0;
  while (arch::serial_read(byte)) answered = true;
}

}  // namespace

void set_screenshots_wanted(bool wanted) { screenshots_wanted = wanted; }

Integration::Integration(StringView name) : name_(name) {
  // Until the TSC is calibrated uptime moves in PIT ticks: too coarse to time milestones.
  wait_for_tsc_calibration();
  emit<markers::kIntegrationScenarioStart>(name_, now_us());
}

uint64_t Integration::now_us() const { return uptime_ns() / 1000; }

void Integration::milestone(StringView name) {
  emit<markers::kIntegrationMilestone>(name, now_us());
}

bool Integration::verify(StringView check, bool ok, StringView detail) {
  if (!ok) failed_ = true;
  emit<markers::kIntegrationVerify>(check, StringView(ok ? "pass" : "fail"), detail, now_us());
  return ok;
}

void Integration::screenshot(StringView name) {
  const uint32_t* frame = compositor_framebuffer();
  if (!screenshots_wanted || frame == nullptr ||
      !display_init(compositor_width(), compositor_height()))
    return;
  display_present(frame);
  arch::set_irq_handler(arch::kSerialIrq, on_serial_irq);
  answered = false;  // a stale answer must not release this screenshot
  emit<markers::kIntegrationScreenshot>(name, now_us());
  const uint64_t wait = begin_host_wait();
  const uint64_t start = uptime_ns();
  // Halts, not yields: nothing else may run in a host wait. Checking with interrupts off and
  // halting with `sti; hlt` cannot sleep through an answer that comes in between.
  while (uptime_ns() - start < kAnswerTimeoutNs) {
    arch::cli();
    if (answered) break;
    arch::sti_hlt();
  }
  arch::sti();
  end_host_wait(wait);
}

void Integration::reboot(StringView name) {
  emit<markers::kIntegrationReboot>(name, now_us());
  const uint64_t start = uptime_ns();
  while (uptime_ns() - start < kAnswerTimeoutNs) yield();
}

uint32_t Integration::complete() {
  emit<markers::kIntegrationScenarioComplete>(name_, StringView(failed_ ? "fail" : "pass"),
                                              now_us());
  return failed_ ? 1 : 0;
}

}  // namespace rayos::kernel
