#pragma once
// QEMU's isa-debug-exit device (iobase 0xf4, iosize 4): writing v makes QEMU exit with status
// (v << 1) | 1 at once. Without the device the write is ignored and the caller halts.
#include <stdint.h>

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/serial.h"

namespace rayos::arch {

[[noreturn]] inline void debug_exit(uint32_t value) {
  serial_flush();  // QEMU exits at once: the console's last bytes must be out first
  outl(0xf4, value);
  halt_forever();
}

}  // namespace rayos::arch
