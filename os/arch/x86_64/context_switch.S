/* Task switching: each task has its own kernel stack, and a switch swaps stacks with the callee-
 * saved registers on them (the System V ABI says the caller saved the rest). A task resumes
 * where it called rayos_switch_stacks; a new task "returns" into one of the trampolines below,
 * which its creator put on its stack (os/kernel/sched.cpp). */

.section .text
.code64

/* void rayos_switch_stacks(uint64_t* save_rsp, uint64_t next_rsp) */
.global rayos_switch_stacks
rayos_switch_stacks:
  push %rbp
  push %rbx
  push %r12
  push %r13
  push %r14
  push %r15
  mov %rsp, (%rdi)
  mov %rsi, %rsp
  pop %r15
  pop %r14
  pop %r13
  pop %r12
  pop %rbx
  pop %rbp
  ret

/* A new kernel task: %r12 = its entry function, %r13 = the argument. The entry never returns. */
.global rayos_kernel_task_trampoline
rayos_kernel_task_trampoline:
  call rayos_task_started
  mov %r13, %rdi
  call *%r12
  ud2

/* A new ring-3 task: %rsp points at the InterruptFrame it starts from; leave through the common
 * interrupt return (pops the registers, iretq to ring 3 with interrupts enabled). */
.global rayos_user_task_trampoline
rayos_user_task_trampoline:
  call rayos_task_started
  jmp isr_return

/* No executable stack. */
.section .note.GNU-stack, "", @progbits
