#pragma once
// The local APIC, used only to pass the 8259 PIC's interrupts through to the CPU.
namespace rayos::arch {

// The vector the local APIC raises for a spurious interrupt; it needs no EOI and is ignored.
inline constexpr unsigned kLapicSpuriousVector = 0xff;

// Virtual wire mode (MP spec 3.6.2.2): LINT0 = ExtINT, LINT1 = NMI, APIC software-enabled.
// SeaBIOS sets this up on `pc`, but microvm's qboot leaves LINT0 masked, and then no PIC
// interrupt (the timer, COM1) ever reaches the CPU. Returns false if the APIC is not at the
// address boot.S mapped (then nothing is touched).
bool lapic_enable_virtual_wire();

}  // namespace rayos::arch
