#pragma once
// The IDT, the 64-bit GDT with its TSS (for the double fault's own stack), and the dispatch of
// every vector to the kernel's handlers.
#include <stdint.h>

namespace rayos::arch {

// What interrupts.S leaves on the stack, lowest address first.
struct InterruptFrame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
  uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector;
  uint64_t error_code;  // 0 for vectors without one
  uint64_t rip, cs, rflags, rsp, ss;
};

inline constexpr unsigned kExceptionCount = 32;
inline constexpr unsigned kDoubleFault = 8;
inline constexpr unsigned kPageFault = 14;

using ExceptionHandler = void (*)(const InterruptFrame&);
using IrqHandler = void (*)();

// Loads the GDT and TSS (IST1 = the double fault stack) and the IDT. `on_exception` gets every
// CPU exception and every vector nobody registered; it must not return.
void interrupts_init(ExceptionHandler on_exception);
void set_irq_handler(unsigned irq, IrqHandler handler);

// The kernel uses the vector names in PANIC markers: DIVIDE_ERROR, PAGE_FAULT, ...
const char* exception_name(uint64_t vector);
bool exception_has_error_code(uint64_t vector);

// Loads an empty IDT and raises an exception: #UD cannot be delivered, nor the #GP and #DF that
// follow, so the CPU triple-faults (QEMU resets, or exits under -no-reboot).
[[noreturn]] void triple_fault();

}  // namespace rayos::arch
