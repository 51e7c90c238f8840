// kmain: called by boot.S in long mode, on the kernel stack, with interrupts off.
#include <stdint.h>

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/interrupts.h"
#include "os/arch/x86_64/lapic.h"
#include "os/arch/x86_64/pic_pit.h"
#include "os/arch/x86_64/serial.h"
#include "os/core/cmdline.h"
#include "os/core/text_buffer.h"
#include "os/kernel/boot_info.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/exit.h"
#include "os/kernel/panic.h"
#include "os/kernel/scenario.h"
#include "os/kernel/shell.h"

namespace rayos::kernel {
namespace {

[[noreturn]] void bad_request(const TextBuffer& error) {
  emit<markers::kScenarioError>(error.view());
  exit_guest(kExitBadRequest);
}

}  // namespace
}  // namespace rayos::kernel

extern "C" [[noreturn]] void kmain(uint32_t start_info_phys) {
  using namespace rayos;
  using namespace rayos::kernel;
  arch::serial_init();
  emit<markers::kBootStart>(StringView(RAYOS_VERSION));
  arch::interrupts_init(panic_on_exception);
  TextBuffer error;
  bool boot_info_ok = load_boot_info(start_info_phys, error);
  arch::pic_init((1u << arch::kTimerIrq) | (1u << arch::kSerialIrq));
  if (!arch::lapic_enable_virtual_wire())
    panic("NO_LOCAL_APIC", "IA32_APIC_BASE_disabled_or_not_at_0xfee00000");
  clock_init();
  shell_input_init();
  arch::sti();
  emit<markers::kBootReady>();

  if (!boot_info_ok) bad_request(error);
  RunRequest request;
  if (!parse_cmdline(boot_info().cmdline, request, error)) bad_request(error);
  if (request.scenario.empty()) run_shell(request.seed);
  run_scenario(request, error);
  bad_request(error);
}
