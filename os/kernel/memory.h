#pragma once
// Physical memory and the kernel heap. memory_init() feeds the frame allocator from the boot
// memory map (usable RAM above 1 MiB, minus the kernel image, within the direct map) and starts
// the heap on top of it. It runs after BOOT:READY, the first time a scenario needs memory.
//
// User memory is committed before it is promised: a process's image, stack and mem_map regions
// are counted against the free frames (less a reserve for page tables, kernel stacks and the
// heap), so a page fault on a promised page finds a frame, and running out of memory is an error
// code at mem_map or spawn time rather than a surprise later.
#include <stddef.h>
#include <stdint.h>

#include "os/core/frame_allocator.h"
#include "os/core/heap.h"
#include "os/core/page_map.h"

namespace rayos::kernel {

inline constexpr uint32_t kKernelTag = 0;  // heap tag of the kernel's own blocks
inline constexpr uint64_t kReserveFrames = 256;

void memory_init();

FrameAllocator& frames();
Heap& kernel_heap();
// Zeroed frames reached through the direct map: page tables and user pages.
FrameProvider& frame_provider();
// The physical address of the kernel's PML4 (boot.S), whose upper half every process shares.
uint64_t kernel_root();
// Maps the 2 MiB around `phys` (uncached) into the device window boot.S opened for the local
// APIC; the virtual address of `phys`, or nullptr when the window is full. For MMIO registers
// and framebuffers.
volatile uint8_t* map_device(uint64_t phys);
// Whether page-table entries may carry the no-execute bit (CPUID says so and EFER.NXE is on).
bool nx_enabled();

// The kernel heap with a tag per block (the owning pid, or kKernelTag); nullptr when out of
// memory. A bad kfree is reported with MEM:ERROR and counted, never a panic.
void* kmalloc(size_t size, uint32_t tag);
void kfree(void* block);
// Frees a frame; a refused free (double or foreign) is reported with MEM:ERROR.
void free_frame(uint64_t phys);

bool commit_pages(uint64_t pages);
void uncommit_pages(uint64_t pages);
// Pages committed and not yet backed by a frame.
uint64_t committed_pages();
// A zeroed frame for one committed page (the commitment shrinks by one); false if none is left.
bool back_committed_page(uint64_t& phys);
// Undoes back_committed_page: frees the frame, the page is promised again.
void unback_committed_page(uint64_t phys);

// Prints MEM:LEAK:<tag>:<blocks>:<bytes> for every tag with live heap blocks except
// `except_tag`; returns the number of blocks reported.
uint64_t report_heap_leaks(uint32_t except_tag);

}  // namespace rayos::kernel
