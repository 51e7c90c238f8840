#pragma once
// The user half of one process: its page tables, its regions (image, stack, mem_map areas) and
// the pages it holds. The image is loaded eagerly; stack and mem_map pages are backed by a zeroed
// frame on first touch (the page-fault handler calls fault_in). Every page is committed against
// the process's quota and the machine's free frames before it is promised.
#include <stddef.h>
#include <stdint.h>

#include "os/core/elf_image.h"
#include "os/core/region_table.h"
#include "os/core/user_memory.h"

namespace rayos::kernel {

enum class FaultResult { kResolved, kNotMapped, kNoMemory };

class AddressSpace final : public UserPages {
 public:
  constexpr AddressSpace() = default;

  // A fresh page map (kernel half shared). False when out of frames.
  bool create();
  // Loads the checked image's segments (copied into fresh frames) and reserves the stack.
  // Returns 0 or an abi error (kErrQuota, kErrNoMemory).
  int64_t load(const ElfImage& image, const uint8_t* file, uint64_t max_pages);
  // A new zeroed, writable region of `pages` (backed on first touch); 0 or an abi error.
  int64_t map(uint64_t pages, uint64_t max_pages, uint64_t& address);
  // Removes a whole mem_map region; 0 or kErrNoEntry. `active`: this is the loaded CR3.
  int64_t unmap(uint64_t address, uint64_t pages, bool active);
  // Backs the page at `address` if it lies in a region that allows the access.
  FaultResult fault_in(uint64_t address, bool write, bool fetch);
  // Frees every page and (unless `keep_tables`, a planted bug) every page table. Idempotent.
  void release(bool keep_tables);

  // UserPages: for copying system-call arguments.
  bool resolve(uint64_t virt, bool write, uint64_t& phys) override;
  void* frame_pointer(uint64_t phys) override;

  uint64_t root() const { return root_; }
  uint64_t committed() const { return committed_; }  // pages promised (image, stack, maps)
  uint64_t resident() const { return resident_; }    // of those, backed by a frame now
  uint64_t table_frames() const;

 private:
  bool commit(uint64_t pages, uint64_t max_pages, int64_t& error);
  bool back_page(uint64_t virt, bool writable, bool executable);

  uint64_t root_ = 0;
  RegionTable regions_{};
  uint64_t committed_ = 0;
  uint64_t resident_ = 0;
};

}  // namespace rayos::kernel
