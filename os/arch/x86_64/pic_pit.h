#pragma once
// The legacy interrupt controllers (two 8259A PICs, remapped above the CPU exceptions) and the
// 8254 PIT programmed as the kernel's periodic tick.
#include <stdint.h>

namespace rayos::arch {

inline constexpr uint8_t kIrqBase = 32;  // IRQ n arrives as vector kIrqBase + n
inline constexpr unsigned kTimerIrq = 0;

// Remaps both PICs and masks every line except the ones in `enabled_irqs` (bit n = IRQ n).
void pic_init(uint16_t enabled_irqs);
// True for a spurious IRQ 7/15 (no bit in the in-service register); such an IRQ gets no EOI
// (except the master's, for a spurious IRQ 15 that cascaded through it).
bool pic_is_spurious(unsigned irq);
void pic_end_of_interrupt(unsigned irq);

// Channel 0, rate generator, reload value kPitDivisor (os/core/clock_math.h).
void pit_init();

}  // namespace rayos::arch
