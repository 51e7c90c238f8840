/* The entry point of every ring-3 program: the kernel starts it with its four arguments in
 * rdi, rsi, rdx, rcx (the first four integer arguments of the System V ABI) and rsp 16-byte
 * aligned; main's return value is the exit code. */
#define SYSCALL_EXIT 0

.section .text.start, "ax", @progbits
.global _start
_start:
  xor %ebp, %ebp
  call rayos_main
  mov %rax, %rdi
  mov $SYSCALL_EXIT, %eax
  int $0x80
  ud2

.section .note.GNU-stack, "", @progbits
