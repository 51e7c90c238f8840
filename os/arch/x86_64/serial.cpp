#include "os/arch/x86_64/serial.h"

#include "os/arch/x86_64/cpu.h"

namespace rayos::arch {
namespace {

constexpr uint16_t kCom1 = 0x3f8;
constexpr uint16_t kData = kCom1 + 0;          // RBR / THR (DLAB=0), divisor low (DLAB=1)
constexpr uint16_t kIntEnable = kCom1 + 1;     // IER (DLAB=0), divisor high (DLAB=1)
constexpr uint16_t kFifoControl = kCom1 + 2;   // FCR
constexpr uint16_t kLineControl = kCom1 + 3;   // LCR
constexpr uint16_t kModemControl = kCom1 + 4;  // MCR
constexpr uint16_t kLineStatus = kCom1 + 5;    // LSR

constexpr uint8_t kLsrDataReady = 1 << 0;
constexpr uint8_t kLsrThrEmpty = 1 << 5;
constexpr uint8_t kLsrTransmitterEmpty = 1 << 6;
// Each read of the LSR is an exit to QEMU (about a microsecond under TCG): a minute or more.
constexpr uint64_t kFlushPolls = uint64_t{1} << 26;

}  // namespace

void serial_init() {
  outb(kIntEnable, 0x00);
  outb(kLineControl, 0x80);  // DLAB: the next two writes set the divisor
  outb(kData, 0x01);         // 115200 baud
  outb(kIntEnable, 0x00);
  outb(kLineControl, 0x03);   // 8 data bits, no parity, 1 stop bit
  outb(kFifoControl, 0x07);   // FIFOs on and cleared, receive interrupt at 1 byte
  outb(kModemControl, 0x0b);  // DTR, RTS, OUT2 (OUT2 gates the IRQ line to the PIC)
  outb(kIntEnable, 0x01);     // interrupt on received data
}

void serial_write(StringView bytes) {
  for (char c : bytes) {
    while ((inb(kLineStatus) & kLsrThrEmpty) == 0) pause();
    outb(kData, static_cast<uint8_t>(c));
  }
}

void serial_flush() {
  for (uint64_t i = 0; i < kFlushPolls && (inb(kLineStatus) & kLsrTransmitterEmpty) == 0; ++i)
    pause();
}

bool serial_read(uint8_t& byte) {
  if ((inb(kLineStatus) & kLsrDataReady) == 0) return false;
  byte = inb(kData);
  return true;
}

}  // namespace rayos::arch
