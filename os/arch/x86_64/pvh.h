#pragma once
// The x86/HVM direct boot ABI (xen/include/public/arch-x86/hvm/start_info.h): the structure
// whose physical address the loader passes in %ebx.
#include <stdint.h>

namespace rayos::arch {

inline constexpr uint32_t kHvmStartMagic = 0x336ec578;

struct HvmStartInfo {
  uint32_t magic;
  uint32_t version;
  uint32_t flags;
  uint32_t nr_modules;
  uint64_t modlist_paddr;
  uint64_t cmdline_paddr;
  uint64_t rsdp_paddr;
  // Version 1 and later:
  uint64_t memmap_paddr;
  uint32_t memmap_entries;
  uint32_t reserved;
};

// One module (QEMU passes -initrd as the first): where the loader put it.
struct HvmModlistEntry {
  uint64_t paddr;
  uint64_t size;
  uint64_t cmdline_paddr;
  uint64_t reserved;
};

struct HvmMemmapEntry {
  uint64_t addr;
  uint64_t size;
  uint32_t type;  // 1 = RAM, 2 = reserved, 3 = ACPI reclaimable, 4 = ACPI NVS, ...
  uint32_t reserved;
};

}  // namespace rayos::arch
