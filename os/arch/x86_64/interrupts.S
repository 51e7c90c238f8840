/* One entry stub per vector. Each pushes a dummy error code where the CPU pushes none, then the
 * vector, so that isr_common always sees the same InterruptFrame (arch/x86_64/interrupts.h). */

.altmacro

.macro isr_stub vector
  .balign 16
isr_\vector:
  .if (\vector == 8) || ((\vector >= 10) && (\vector <= 14)) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30)
  .else
    pushq $0
  .endif
  pushq $\vector
  jmp isr_common
.endm

.macro isr_address vector
  .quad isr_\vector
.endm

.section .text
.set vector, 0
.rept 256
  isr_stub %vector
  .set vector, vector + 1
.endr

isr_common:
  push %rax
  push %rbx
  push %rcx
  push %rdx
  push %rsi
  push %rdi
  push %rbp
  push %r8
  push %r9
  push %r10
  push %r11
  push %r12
  push %r13
  push %r14
  push %r15
  mov %rsp, %rdi
  cld
  call isr_dispatch
/* Also where a new ring-3 task starts (context_switch.S): %rsp points at an InterruptFrame. */
.global isr_return
isr_return:
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %r11
  pop %r10
  pop %r9
  pop %r8
  pop %rbp
  pop %rdi
  pop %rsi
  pop %rdx
  pop %rcx
  pop %rbx
  pop %rax
  add $16, %rsp                    /* vector and error code */
  iretq

.section .rodata
.balign 8
.global isr_stub_table
isr_stub_table:
.set vector, 0
.rept 256
  isr_address %vector
  .set vector, vector + 1
.endr

/* No executable stack. */
.section .note.GNU-stack, "", @progbits
