#pragma once
// COM1, a 16550 UART at I/O port 0x3f8.
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos::arch {

inline constexpr unsigned kSerialIrq = 4;

void serial_init();
// Waits for the transmitter holding register to be empty (LSR.THRE) before every byte, so that
// QEMU's flow control slows the guest down instead of dropping output.
void serial_write(StringView bytes);
// Waits until the UART has handed its last byte on (LSR.TEMT). QEMU's UART keeps a byte the
// host side did not take yet (its socket full: the harness is busy with 63 other VMs) and sends
// it later; a guest that ends QEMU before then (isa-debug-exit) loses it. Bounded, so that a
// host that never reads cannot hold the guest forever.
void serial_flush();
// One received byte, if the UART has one.
bool serial_read(uint8_t& byte);

}  // namespace rayos::arch
