/* The accelerator probe: a fixed integer loop (xorshift32, PROBE_ITERATIONS steps) timed by
   the harness under TCG and under KVM. It prints "osh-accel-probe <iterations> <result>" in hex,
   so the harness can check that the loop really ran, then exits through isa-debug-exit (0xf4)
   with value 0. */
#include "pvh_note.h"

#ifndef PROBE_ITERATIONS
#define PROBE_ITERATIONS 20000000
#endif

PVH_NOTE(_start32)

.text
.code32
.global _start32
_start32:
  cli
  mov $stack_top, %esp
  mov $banner, %esi
  call puts
  mov $PROBE_ITERATIONS, %eax
  call puthex
  mov $' ', %al
  call putc

  mov $PROBE_ITERATIONS, %ecx
  mov $1, %eax
1:
  mov %eax, %edx
  shl $13, %edx
  xor %edx, %eax
  mov %eax, %edx
  shr $17, %edx
  xor %edx, %eax
  mov %eax, %edx
  shl $5, %edx
  xor %edx, %eax
  dec %ecx
  jnz 1b

  call puthex
  mov $'\n', %al
  call putc
  mov $0xf4, %dx
  xor %eax, %eax
  out %eax, %dx
2:
  hlt
  jmp 2b

/* putc: %al to COM1 once the transmitter is free. Keeps every other register. */
putc:
  push %edx
  push %eax
  mov $COM1_LSR, %dx
3:
  in %dx, %al
  test $0x20, %al
  jz 3b
  pop %eax
  mov $COM1, %dx
  out %al, %dx
  pop %edx
  ret

/* puts: the NUL-terminated string at %esi. */
puts:
  push %eax
4:
  lodsb
  test %al, %al
  jz 5f
  call putc
  jmp 4b
5:
  pop %eax
  ret

/* puthex: %eax as 8 lowercase hex digits. */
puthex:
  push %eax
  push %ebx
  push %ecx
  mov %eax, %ebx
  mov $8, %ecx
6:
  rol $4, %ebx
  mov %ebx, %eax
  and $0xf, %eax
  mov hexdigits(%eax), %al
  call putc
  dec %ecx
  jnz 6b
  pop %ecx
  pop %ebx
  pop %eax
  ret

.section .rodata
banner: .asciz "osh-accel-probe "
hexdigits: .ascii "0123456789abcdef"

.bss
.balign 16
  .skip 4096
stack_top:
