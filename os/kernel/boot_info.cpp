#include "os/kernel/boot_info.h"

#include "os/arch/x86_64/memory.h"
#include "os/arch/x86_64/pvh.h"
#include "os/kernel/panic.h"

namespace rayos::kernel {
namespace {

constinit BootInfo info{};
constinit char cmdline_copy[BootInfo::kMaxCmdline]{};

}  // namespace

const BootInfo& boot_info() { return info; }

bool load_boot_info(uint64_t start_info_phys, TextBuffer& error) {
  using arch::HvmStartInfo;
  if (!arch::phys_is_mapped(start_info_phys, sizeof(HvmStartInfo)))
    panic("BAD_BOOT_INFO",
          TextBuffer().add("start_info_outside_the_first_GiB=").add(Hex{start_info_phys}).view());
  const auto* start = arch::phys_to_virt<const HvmStartInfo>(start_info_phys);
  if (start->magic != arch::kHvmStartMagic)
    panic("BAD_BOOT_INFO", TextBuffer().add("magic=").add(Hex{start->magic}).view());

  if (start->version >= 1 && arch::phys_is_mapped(start->memmap_paddr, 0)) {
    const auto* entries = arch::phys_to_virt<const arch::HvmMemmapEntry>(start->memmap_paddr);
    for (uint32_t i = 0; i < start->memmap_entries && info.region_count < BootInfo::kMaxRegions;
         ++i)
      info.regions[info.region_count++] = {entries[i].addr, entries[i].size, entries[i].type};
  }

  if (start->nr_modules > 0 &&
      arch::phys_is_mapped(start->modlist_paddr,
                           start->nr_modules * sizeof(arch::HvmModlistEntry))) {
    const auto* list = arch::phys_to_virt<const arch::HvmModlistEntry>(start->modlist_paddr);
    for (uint32_t i = 0; i < start->nr_modules && info.module_count < BootInfo::kMaxModules; ++i)
      if (arch::phys_is_mapped(list[i].paddr, list[i].size))
        info.modules[info.module_count++] = {list[i].paddr, list[i].size};
  }

  if (start->cmdline_paddr == 0) return true;  // no -append: an empty command line
  size_t len = 0;
  while (len < BootInfo::kMaxCmdline && arch::phys_is_mapped(start->cmdline_paddr + len, 1)) {
    char c = *arch::phys_to_virt<const char>(start->cmdline_paddr + len);
    if (c == '\0') {
      info.cmdline = StringView(cmdline_copy, len);
      return true;
    }
    cmdline_copy[len++] = c;
  }
  error.add("kernel_command_line_longer_than_")
      .add(uint64_t{BootInfo::kMaxCmdline - 1})
      .add("_bytes");
  return false;
}

}  // namespace rayos::kernel
