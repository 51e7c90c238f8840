#pragma once
// QEMU's isa-debug-exit device (iobase 0xf4, iosize 4): writing v makes QEMU exit with status
// (v << 1) | 1. Without the device the write is ignored and the caller halts.
#include <stdint.h>

#include "os/arch/x86_64/cpu.h"

namespace rayos::arch {

[[noreturn]] inline void debug_exit(uint32_t value) {
  outl(0xf4, value);
  halt_forever();
}

}  // namespace rayos::arch
