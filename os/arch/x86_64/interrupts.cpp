#include "os/arch/x86_64/interrupts.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/lapic.h"
#include "os/arch/x86_64/pic_pit.h"

extern "C" const uint64_t isr_stub_table[256];

namespace rayos::arch {
namespace {

constexpr uint16_t kKernelCode = 0x08;
constexpr uint16_t kKernelData = 0x10;
constexpr uint16_t kTssSelector = 0x18;
constexpr uint8_t kInterruptGate = 0x8e;      // present, DPL 0, 64-bit interrupt gate
constexpr uint8_t kUserInterruptGate = 0xee;  // present, DPL 3: `int` from ring 3 allowed
constexpr uint8_t kDoubleFaultIst = 1;

struct [[gnu::packed]] Tss {
  uint32_t reserved0;
  uint64_t rsp[3];
  uint64_t reserved1;
  uint64_t ist[7];
  uint64_t reserved2;
  uint16_t reserved3;
  uint16_t iomap_base;
};

struct [[gnu::packed]] IdtEntry {
  uint16_t offset_low;
  uint16_t selector;
  uint8_t ist;
  uint8_t type_attr;
  uint16_t offset_mid;
  uint32_t offset_high;
  uint32_t reserved;
};

struct [[gnu::packed]] DescriptorPointer {
  uint16_t limit;
  uint64_t base;
};

constexpr unsigned kIrqCount = 16;

constinit Tss tss{};
constinit uint64_t gdt[7] = {
    0,
    0x00af9a000000ffff,  // 0x08: 64-bit code, ring 0
    0x00cf92000000ffff,  // 0x10: data, ring 0
    0,
    0,                   // 0x18: TSS (16 bytes), filled at run time: its address is not constant
    0x00cff2000000ffff,  // 0x28: data, ring 3
    0x00affa000000ffff,  // 0x30: 64-bit code, ring 3
};
constinit IdtEntry idt[256]{};
alignas(16) constinit char double_fault_stack[16384]{};
constinit ExceptionHandler exception_handler = nullptr;
constinit IrqHandler irq_handlers[kIrqCount]{};
constinit FrameHandler user_fault_handler = nullptr;
constinit FrameHandler return_hook = nullptr;
constinit uint8_t syscall_vector = 0;
constinit FrameHandler syscall_handler = nullptr;

constexpr const char* kExceptionNames[kExceptionCount] = {
    "DIVIDE_ERROR",
    "DEBUG",
    "NMI",
    "BREAKPOINT",
    "OVERFLOW",
    "BOUND_RANGE_EXCEEDED",
    "INVALID_OPCODE",
    "DEVICE_NOT_AVAILABLE",
    "DOUBLE_FAULT",
    "COPROCESSOR_SEGMENT_OVERRUN",
    "INVALID_TSS",
    "SEGMENT_NOT_PRESENT",
    "STACK_SEGMENT_FAULT",
    "GENERAL_PROTECTION",
    "PAGE_FAULT",
    "RESERVED_15",
    "X87_FLOATING_POINT",
    "ALIGNMENT_CHECK",
    "MACHINE_CHECK",
    "SIMD_FLOATING_POINT",
    "VIRTUALIZATION",
    "CONTROL_PROTECTION",
    "RESERVED_22",
    "RESERVED_23",
    "RESERVED_24",
    "RESERVED_25",
    "RESERVED_26",
    "RESERVED_27",
    "HYPERVISOR_INJECTION",
    "VMM_COMMUNICATION",
    "SECURITY",
    "RESERVED_31",
};

void load_gdt_and_tss() {
  tss.ist[kDoubleFaultIst - 1] =
      reinterpret_cast<uint64_t>(double_fault_stack + sizeof(double_fault_stack));
  tss.iomap_base = sizeof(Tss);
  uint64_t base = reinterpret_cast<uint64_t>(&tss);
  uint64_t limit = sizeof(Tss) - 1;
  gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (uint64_t{0x89} << 40) |
           (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
  gdt[4] = base >> 32;
  DescriptorPointer pointer{sizeof(gdt) - 1, reinterpret_cast<uint64_t>(gdt)};
  asm volatile(
      "lgdt %0\n"
      "pushq %1\n"
      "leaq 1f(%%rip), %%rax\n"
      "pushq %%rax\n"
      "lretq\n"
      "1:\n"
      "movl %2, %%eax\n"
      "movl %%eax, %%ds\n"
      "movl %%eax, %%es\n"
      "movl %%eax, %%ss\n"
      "ltr %w3\n"
      :
      : "m"(pointer), "i"(uint64_t{kKernelCode}), "i"(uint32_t{kKernelData}), "r"(kTssSelector)
      : "rax", "memory");
}

void load_idt() {
  for (unsigned vector = 0; vector < 256; ++vector) {
    uint64_t handler = isr_stub_table[vector];
    idt[vector] = IdtEntry{static_cast<uint16_t>(handler),
                           kKernelCode,
                           vector == kDoubleFault ? kDoubleFaultIst : uint8_t{0},
                           kInterruptGate,
                           static_cast<uint16_t>(handler >> 16),
                           static_cast<uint32_t>(handler >> 32),
                           0};
  }
  DescriptorPointer pointer{sizeof(idt) - 1, reinterpret_cast<uint64_t>(idt)};
  asm volatile("lidt %0" : : "m"(pointer) : "memory");
}

}  // namespace

void interrupts_init(ExceptionHandler on_exception) {
  exception_handler = on_exception;
  load_gdt_and_tss();
  load_idt();
}

void set_irq_handler(unsigned irq, IrqHandler handler) { irq_handlers[irq] = handler; }

void set_syscall_handler(uint8_t vector, FrameHandler handler) {
  InterruptGuard guard;
  idt[vector].type_attr = kUserInterruptGate;
  syscall_vector = vector;
  syscall_handler = handler;
}

void set_user_fault_handler(FrameHandler handler) { user_fault_handler = handler; }

void set_return_hook(FrameHandler hook) { return_hook = hook; }

void set_kernel_stack(uint64_t top) { tss.rsp[0] = top; }

const char* exception_name(uint64_t vector) {
  return vector < kExceptionCount ? kExceptionNames[vector] : "UNEXPECTED_INTERRUPT";
}

bool exception_has_error_code(uint64_t vector) {
  return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 ||
         vector == 29 || vector == 30;
}

void triple_fault() {
  DescriptorPointer empty{0, 0};
  asm volatile("lidt %0; ud2" : : "m"(empty) : "memory");
  __builtin_unreachable();
}

}  // namespace rayos::arch

// Called by isr_common (interrupts.S) with interrupts disabled.
extern "C" void isr_dispatch(rayos::arch::InterruptFrame* frame) {
  using namespace rayos::arch;
  uint64_t vector = frame->vector;
  if (vector == kLapicSpuriousVector) return;
  if (vector >= kIrqBase && vector < kIrqBase + kIrqCount) {
    unsigned irq = static_cast<unsigned>(vector - kIrqBase);
    if (pic_is_spurious(irq)) return;
    if (irq_handlers[irq] != nullptr) {
      irq_handlers[irq]();
      pic_end_of_interrupt(irq);
      if (return_hook != nullptr) return_hook(*frame);
      return;
    }
  }
  if (syscall_handler != nullptr && vector == syscall_vector && from_user(*frame)) {
    syscall_handler(*frame);
    if (return_hook != nullptr) return_hook(*frame);
    return;
  }
  if (vector < kExceptionCount && from_user(*frame) && user_fault_handler != nullptr) {
    user_fault_handler(*frame);  // resumes the process only if the fault was resolved
    return;
  }
  exception_handler(*frame);
  halt_forever();  // the handler must not return; never resume a faulting instruction
}
