#pragma once
// What the loader told the kernel, copied out of the loader's memory at boot: the command line,
// the physical memory map (kept for the frame allocator), and where the boot modules (an initrd)
// lie.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/text_buffer.h"

namespace rayos::kernel {

struct MemoryRegion {
  uint64_t base;
  uint64_t size;
  uint32_t type;  // as in the PVH memory map: 1 = usable RAM
};

struct BootModule {
  uint64_t base;  // physical
  uint64_t size;
};

struct BootInfo {
  static constexpr size_t kMaxCmdline = 2048;
  static constexpr size_t kMaxRegions = 64;
  static constexpr size_t kMaxModules = 4;

  StringView cmdline;
  MemoryRegion regions[kMaxRegions];
  size_t region_count;
  BootModule modules[kMaxModules];  // only modules inside the direct map
  size_t module_count;
};

// Reads struct hvm_start_info at `start_info_phys`. A missing or bad structure is a kernel panic
// (the loader is broken); a command line that is too long is returned as false with a reason.
bool load_boot_info(uint64_t start_info_phys, TextBuffer& error);
const BootInfo& boot_info();

}  // namespace rayos::kernel
