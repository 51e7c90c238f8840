#include "os/kernel/exit.h"

#include "os/arch/x86_64/debug_exit.h"
#include "os/kernel/console.h"
#include "os/kernel/fuzz_coverage.h"
#include "os/kernel/virtio_net.h"

namespace rayos::kernel {

void exit_guest(uint32_t code) {
  arch::cli();  // nothing, not even a heartbeat, may follow SYS:EXIT
  // The last frames sent would die in QEMU's transmit queue with the VM.
  virtio_net_flush();
  print_scenario_coverage();
  emit<markers::kSysExit>(uint64_t{code});
  arch::debug_exit(code);
}

}  // namespace rayos::kernel
