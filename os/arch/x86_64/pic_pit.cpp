#include "os/arch/x86_64/pic_pit.h"

#include "os/arch/x86_64/cpu.h"
#include "os/core/clock_math.h"

namespace rayos::arch {
namespace {

constexpr uint16_t kMasterCommand = 0x20, kMasterData = 0x21;
constexpr uint16_t kSlaveCommand = 0xa0, kSlaveData = 0xa1;
constexpr uint8_t kIcw1Init = 0x11;  // edge triggered, cascade, ICW4 follows
constexpr uint8_t kIcw48086 = 0x01;
constexpr uint8_t kOcw3ReadIsr = 0x0b;
constexpr uint8_t kEoi = 0x20;
constexpr unsigned kCascadeIrq = 2;

constexpr uint16_t kPitChannel0 = 0x40, kPitCommand = 0x43;
constexpr uint8_t kPitChannel0Mode2LoHi = 0x34;

}  // namespace

void pic_init(uint16_t enabled_irqs) {
  outb(kMasterCommand, kIcw1Init);
  outb(kSlaveCommand, kIcw1Init);
  outb(kMasterData, kIrqBase);
  outb(kSlaveData, kIrqBase + 8);
  outb(kMasterData, 1 << kCascadeIrq);  // slave on IRQ 2
  outb(kSlaveData, kCascadeIrq);        // slave identity
  outb(kMasterData, kIcw48086);
  outb(kSlaveData, kIcw48086);
  if (enabled_irqs & 0xff00) enabled_irqs |= 1 << kCascadeIrq;
  outb(kMasterData, static_cast<uint8_t>(~enabled_irqs & 0xff));
  outb(kSlaveData, static_cast<uint8_t>(~enabled_irqs >> 8));
}

bool pic_is_spurious(unsigned irq) {
  if (irq != 7 && irq != 15) return false;
  uint16_t command = irq == 7 ? kMasterCommand : kSlaveCommand;
  outb(command, kOcw3ReadIsr);
  if (inb(command) & 0x80) return false;
  if (irq == 15) outb(kMasterCommand, kEoi);
  return true;
}

void pic_end_of_interrupt(unsigned irq) {
  if (irq >= 8) outb(kSlaveCommand, kEoi);
  outb(kMasterCommand, kEoi);
}

void pit_init() {
  outb(kPitCommand, kPitChannel0Mode2LoHi);
  outb(kPitChannel0, static_cast<uint8_t>(kPitDivisor & 0xff));
  outb(kPitChannel0, static_cast<uint8_t>(kPitDivisor >> 8));
}

}  // namespace rayos::arch
