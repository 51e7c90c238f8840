/* PVH entry: QEMU (or Xen) jumps to _start32 in 32-bit protected mode, paging off, flat
 * segments, no stack, %ebx = physical address of struct hvm_start_info. This trampoline builds
 * the page tables, enters long mode and jumps to the higher half, where kmain runs. */

#define KERNEL_VMA 0xffffffff80000000
#define PAGE_PRESENT_WRITE 0x3
#define PAGE_LARGE 0x80
#define PAGE_UNCACHED 0x18               /* PWT | PCD, for device memory */
#define LAPIC_PHYS 0xfee00000
#define CR4_PAE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define MSR_EFER 0xC0000080
#define EFER_LME (1 << 8)
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* The Xen ELF note that tells QEMU where to enter. Alignment 4: QEMU pads the name to the
 * note segment's alignment when it looks for the descriptor. */
.section .note.Xen, "a", @note
  .balign 4
  .long 4                          /* namesz */
  .long 8                          /* descsz */
  .long XEN_ELFNOTE_PHYS32_ENTRY
  .asciz "Xen"
  .balign 4
  .quad _start32

.section .boot.text, "ax", @progbits
.code32
.global _start32
_start32:
  cli
  cld
  mov %ebx, %esi                   /* hvm_start_info, for kmain */

  mov $boot_page_tables, %edi
  mov $(8 * 1024), %ecx
  xor %eax, %eax
  rep stosl

  /* PML4[0] -> identity 0..2 MiB (this trampoline only); PML4[511] -> the top 2 GiB. */
  movl $(boot_pdpt_low + PAGE_PRESENT_WRITE), boot_pml4
  movl $(boot_pdpt_high + PAGE_PRESENT_WRITE), boot_pml4 + 511 * 8
  movl $(boot_pd_low + PAGE_PRESENT_WRITE), boot_pdpt_low
  movl $(PAGE_LARGE | PAGE_PRESENT_WRITE), boot_pd_low

  /* KERNEL_VMA + 0..1 GiB -> physical 0..1 GiB: PDPT[510] -> PD; PD[0..1] -> two 4 KiB page
   * tables (the image's 4 MiB), PD[2..511] -> 2 MiB pages. */
  movl $(boot_pd_high + PAGE_PRESENT_WRITE), boot_pdpt_high + 510 * 8
  movl $(boot_pt_kernel + PAGE_PRESENT_WRITE), boot_pd_high
  movl $(boot_pt_kernel + 4096 + PAGE_PRESENT_WRITE), boot_pd_high + 8
  mov $2, %ecx
1:
  mov %ecx, %eax
  shl $21, %eax
  or $(PAGE_LARGE | PAGE_PRESENT_WRITE), %eax
  mov %eax, boot_pd_high(, %ecx, 8)
  inc %ecx
  cmp $512, %ecx
  jne 1b
  xor %ecx, %ecx
2:
  mov %ecx, %eax
  shl $12, %eax
  or $PAGE_PRESENT_WRITE, %eax
  mov %eax, boot_pt_kernel(, %ecx, 8)
  inc %ecx
  cmp $1024, %ecx
  jne 2b
  /* KERNEL_VMA + 1 GiB (PDPT[511]) -> device memory: the local APIC's 2 MiB at 0xfee00000. */
  movl $(boot_pd_mmio + PAGE_PRESENT_WRITE), boot_pdpt_high + 511 * 8
  movl $(LAPIC_PHYS | PAGE_UNCACHED | PAGE_LARGE | PAGE_PRESENT_WRITE), boot_pd_mmio

  /* The page below the kernel stack stays unmapped: an overflow faults (and reports through the
   * double fault's own stack) instead of silently corrupting memory. */
  mov $kernel_stack_guard_phys, %eax
  shr $12, %eax
  movl $0, boot_pt_kernel(, %eax, 8)

  mov %cr4, %eax
  or $CR4_PAE, %eax
  mov %eax, %cr4
  mov $boot_pml4, %eax
  mov %eax, %cr3
  mov $MSR_EFER, %ecx
  rdmsr
  or $EFER_LME, %eax
  wrmsr
  mov %cr0, %eax
  or $(CR0_PG | CR0_WP), %eax
  mov %eax, %cr0

  lgdt boot_gdtr
  ljmp $0x08, $long_mode_entry

.code64
long_mode_entry:
  mov $0x10, %eax
  mov %eax, %ds
  mov %eax, %es
  mov %eax, %ss
  xor %eax, %eax
  mov %eax, %fs
  mov %eax, %gs
  movabs $higher_half_entry, %rax
  jmp *%rax

.section .boot.data, "aw", @progbits
.balign 8
boot_gdt:
  .quad 0
  .quad 0x00af9a000000ffff         /* 0x08: 64-bit code, ring 0 */
  .quad 0x00cf92000000ffff         /* 0x10: data */
boot_gdt_end:
boot_gdtr:
  .word boot_gdt_end - boot_gdt - 1
  .quad boot_gdt

.section .boot.bss, "aw", @nobits
.balign 4096
.global boot_pml4
boot_page_tables:
boot_pml4: .skip 4096
boot_pdpt_low: .skip 4096
boot_pd_low: .skip 4096
boot_pdpt_high: .skip 4096
boot_pd_high: .skip 4096
boot_pt_kernel: .skip 8192
boot_pd_mmio: .skip 4096

.section .bss.stack, "aw", @nobits
.balign 4096
.global kernel_stack_guard, kernel_stack_bottom, kernel_stack_top
kernel_stack_guard: .skip 4096
kernel_stack_bottom: .skip 65536
kernel_stack_top:

.section .text
.code64
higher_half_entry:
  mov $kernel_stack_top, %rsp
  /* Drop the identity map: the lower half is now empty, so a null pointer faults. */
  movq $0, boot_pml4 + KERNEL_VMA
  mov %cr3, %rax
  mov %rax, %cr3
  xor %ebp, %ebp                   /* ends the frame-pointer chain of every backtrace */
  mov %esi, %edi
  call kmain
3:
  cli
  hlt
  jmp 3b

/* No executable stack. */
.section .note.GNU-stack, "", @progbits
