#pragma once
// The IDT, the 64-bit GDT with its ring-3 segments and its TSS (the double fault's own stack, and
// the kernel stack a ring-3 process enters on), and the dispatch of every vector to the kernel's
// handlers: IRQs, the system call gate, faults of ring-3 code, and everything else (a panic).
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

// Selectors of the ring-3 segments (RPL 3), for the frame a process starts with.
inline constexpr uint64_t kUserCode = 0x30 | 3;
inline constexpr uint64_t kUserData = 0x28 | 3;
inline constexpr uint64_t kInterruptsEnabled = 1u << 9;  // RFLAGS.IF

inline bool from_user(const InterruptFrame& frame) { return (frame.cs & 3) == 3; }

using ExceptionHandler = void (*)(const InterruptFrame&);
using IrqHandler = void (*)();
// A system call (the frame's rax and arguments), or a fault of ring-3 code. Either may change the
// frame; it is what the process resumes with.
using FrameHandler = void (*)(InterruptFrame&);

// Loads the GDT and TSS (IST1 = the double fault stack) and the IDT. `on_exception` gets every
// CPU exception of kernel code and every vector nobody registered; it must not return.
void interrupts_init(ExceptionHandler on_exception);
void set_irq_handler(unsigned irq, IrqHandler handler);
// The handler of `int $vector` from ring 3 (the only gate ring 3 may use).
void set_syscall_handler(uint8_t vector, FrameHandler handler);
// Exceptions raised by ring-3 code go here instead of to `on_exception` once it is set.
void set_user_fault_handler(FrameHandler handler);
// Runs at the end of every IRQ and system call, after the EOI: where the kernel switches tasks.
void set_return_hook(FrameHandler hook);
// The stack the CPU switches to when ring-3 code is interrupted (TSS.RSP0).
void set_kernel_stack(uint64_t top);

// The kernel uses the vector names in PANIC markers: DIVIDE_ERROR, PAGE_FAULT, ...
const char* exception_name(uint64_t vector);
bool exception_has_error_code(uint64_t vector);

// Loads an empty IDT and raises an exception: #UD cannot be delivered, nor the #GP and #DF that
// follow, so the CPU triple-faults (QEMU resets, or exits under -no-reboot).
[[noreturn]] void triple_fault();

}  // namespace rayos::arch
