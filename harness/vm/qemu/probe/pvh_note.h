/* clang-format off */  /* assembler macros, for .S files */
/* The Xen PVH ELF note QEMU's -kernel looks for: XEN_ELFNOTE_PHYS32_ENTRY (18) holds the 32-bit
   entry point, entered in protected mode with paging off and %ebx = struct hvm_start_info. */
#define PVH_NOTE(entry)            \
  .pushsection .note.Xen, "a";     \
  .balign 4;                       \
  .long 4, 4, 18;                  \
  .asciz "Xen";                    \
  .balign 4;                       \
  .long entry;                     \
  .popsection

/* COM1 of a 16550 UART, and its line status register (bit 5: transmitter holding empty). */
#define COM1 0x3f8
#define COM1_LSR 0x3fd
