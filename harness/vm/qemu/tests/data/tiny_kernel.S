/* The VM backend's test kernel: 32-bit PVH, COM1 only. It prints
     tiny: boot
     tiny: cmdline=<its command line>
   then acts on words of its command line:
     triple     triple-faults (QEMU -no-reboot then shuts down with reason guest-reset)
     spin       prints "tiny: spin\n", then a '.' every 2^21 loop turns, forever
     echo       echoes COM1 input back until it receives 'q'
     flood=N    prints N lines "L%07u\n", numbered from 0
     exit=N     exit value N (default 0)
   and ends with "tiny: bye N\n" and the value N written to isa-debug-exit at 0xf4.
   Built with MULTIBOOT defined it has a multiboot (v1) header instead of the PVH note, so that
   the harness's tests boot that format too (harness/vm/kernel_image.h). */
#include "../../probe/pvh_note.h"

#ifdef MULTIBOOT
/* Entered like PVH (32-bit protected mode, paging off) with %ebx = the multiboot information,
   whose cmdline field is at offset 16. Flags: modules page-aligned, memory information. */
#define CMDLINE_OFFSET 16
.text
  .balign 4
  .long 0x1BADB002, 0x00000003, -(0x1BADB002 + 0x00000003)
#else
#define CMDLINE_OFFSET 24 /* hvm_start_info.cmdline_paddr (low half; below 4 GiB) */
PVH_NOTE(_start32)
#endif

.text
.code32
.global _start32
_start32:
  cli
  mov $stack_top, %esp
  mov CMDLINE_OFFSET(%ebx), %eax
  test %eax, %eax
  jnz 1f
  mov $empty, %eax
1:
  mov %eax, cmdline
  mov $msg_boot, %esi
  call puts
  mov $msg_cmdline, %esi
  call puts
  mov cmdline, %esi
  call puts
  mov $'\n', %al
  call putc

  mov $kw_triple, %edi
  call find
  test %eax, %eax
  jnz triple
  mov $kw_spin, %edi
  call find
  test %eax, %eax
  jnz spin
  mov $kw_echo, %edi
  call find
  test %eax, %eax
  jz 2f
  call echo
2:
  mov $kw_flood, %edi
  call find
  test %eax, %eax
  jz 3f
  mov %eax, %esi
  call parse_uint
  call flood
3:
  xor %ebx, %ebx
  mov $kw_exit, %edi
  call find
  test %eax, %eax
  jz 4f
  mov %eax, %esi
  call parse_uint
  mov %eax, %ebx
4:
  mov $msg_bye, %esi
  call puts
  mov %ebx, %eax
  call putdec
  mov $'\n', %al
  call putc
  mov %ebx, %eax
  mov $0xf4, %dx
  out %eax, %dx
5:
  hlt
  jmp 5b

/* An IDT with limit 0: the exception below cannot be delivered, nor the double fault that
   follows, so the CPU shuts down (triple fault). */
triple:
  lidt null_idt
  int3
  jmp triple

spin:
  mov $msg_spin, %esi
  call puts
6:
  mov $0x200000, %ecx
7:
  dec %ecx
  jnz 7b
  mov $'.', %al
  call putc
  jmp 6b

/* echo: COM1 input back to COM1 (polling the line status's data-ready bit) up to 'q'. */
echo:
  mov $COM1_LSR, %dx
8:
  in %dx, %al
  test $0x01, %al
  jz 8b
  mov $COM1, %dx
  in %dx, %al
  call putc
  cmp $'q', %al
  jne echo
  mov $'\n', %al
  call putc
  ret

/* flood: %eax lines "L0000000\n", "L0000001\n", ... The number is kept as ASCII digits and
   incremented in place. */
flood:
  mov %eax, %ecx
  test %ecx, %ecx
  jz 12f
9:
  mov $line, %esi
  call puts
  mov $line + 7, %edi           /* last digit */
10:
  incb (%edi)
  cmpb $'9', (%edi)
  jbe 11f
  movb $'0', (%edi)
  dec %edi
  jmp 10b
11:
  dec %ecx
  jnz 9b
12:
  ret

/* find: %eax = the address just past the NUL-terminated word at %edi where it occurs in the
   command line at the start of a word, else 0. */
find:
  push %ebx
  push %ecx
  push %edx
  mov cmdline, %ebx
13:
  cmp cmdline, %ebx
  je 14f
  cmpb $' ', -1(%ebx)
  jne 16f
14:
  mov %ebx, %ecx
  mov %edi, %edx
15:
  mov (%edx), %al
  test %al, %al
  jz 18f
  cmp (%ecx), %al
  jne 16f
  inc %ecx
  inc %edx
  jmp 15b
16:
  cmpb $0, (%ebx)
  je 17f
  inc %ebx
  jmp 13b
17:
  xor %ecx, %ecx
18:
  mov %ecx, %eax
  pop %edx
  pop %ecx
  pop %ebx
  ret

/* parse_uint: the decimal number at %esi into %eax. */
parse_uint:
  push %ebx
  xor %eax, %eax
19:
  movzbl (%esi), %ebx
  sub $'0', %ebx
  cmp $9, %ebx
  ja 20f
  imul $10, %eax
  add %ebx, %eax
  inc %esi
  jmp 19b
20:
  pop %ebx
  ret

/* putdec: %eax in decimal. */
putdec:
  push %eax
  push %ecx
  push %edx
  push %ebx
  mov $10, %ebx
  xor %ecx, %ecx
21:
  xor %edx, %edx
  div %ebx
  push %edx
  inc %ecx
  test %eax, %eax
  jnz 21b
22:
  pop %eax
  add $'0', %al
  call putc
  dec %ecx
  jnz 22b
  pop %ebx
  pop %edx
  pop %ecx
  pop %eax
  ret

/* putc: %al to COM1 once the transmitter is free. Keeps every register. */
putc:
  push %edx
  push %eax
  mov $COM1_LSR, %dx
23:
  in %dx, %al
  test $0x20, %al
  jz 23b
  pop %eax
  mov $COM1, %dx
  out %al, %dx
  pop %edx
  ret

/* puts: the NUL-terminated string at %esi. Keeps every register but %esi. */
puts:
  push %eax
24:
  lodsb
  test %al, %al
  jz 25f
  call putc
  jmp 24b
25:
  pop %eax
  ret

.section .rodata
msg_boot: .asciz "tiny: boot\n"
msg_cmdline: .asciz "tiny: cmdline="
msg_spin: .asciz "tiny: spin\n"
msg_bye: .asciz "tiny: bye "
kw_triple: .asciz "triple"
kw_spin: .asciz "spin"
kw_echo: .asciz "echo"
kw_flood: .asciz "flood="
kw_exit: .asciz "exit="
empty: .asciz ""
.balign 8
null_idt: .word 0
  .long 0

.data
line: .asciz "L0000000\n"

.bss
.balign 4
cmdline: .skip 4
.balign 16
  .skip 4096
stack_top:
