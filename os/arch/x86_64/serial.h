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
// One received byte, if the UART has one.
bool serial_read(uint8_t& byte);

}  // namespace rayos::arch
