#pragma once
// x86-64 four-level page tables for one process: maps, unmaps and translates pages of the user
// half (the lower canonical half) and frees every table it made. The kernel half (PML4 entries
// 256..511) is copied from the kernel's own PML4 when the map is created and is never touched
// again, so every process sees the same kernel and cannot reach it (no user bit up there).
//
// Portable: the tables live in frames from a FrameProvider, which also says where the kernel can
// read them; the host tests back it with ordinary memory.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

class FrameProvider {
 public:
  // A zeroed frame, or false when none is left.
  virtual bool allocate_frame(uint64_t& phys) = 0;
  virtual void free_frame(uint64_t phys) = 0;
  // Where the kernel reads and writes the frame at `phys`.
  virtual void* frame_pointer(uint64_t phys) = 0;

 protected:
  ~FrameProvider() = default;
};

namespace page_flags {
inline constexpr uint64_t kPresent = 1;
inline constexpr uint64_t kWritable = 1 << 1;
inline constexpr uint64_t kUser = 1 << 2;
inline constexpr uint64_t kNoExecute = uint64_t{1} << 63;
}  // namespace page_flags

enum class MapResult { kOk, kNoMemory, kAlreadyMapped, kBadAddress };

class PageMap {
 public:
  static constexpr uint64_t kPageSize = 4096;
  static constexpr uint64_t kUserEnd = uint64_t{1} << 47;  // first address of the kernel half
  static constexpr uint64_t kAddressMask = 0x000ffffffffff000;

  // A new empty map whose kernel half is copied from `kernel_root` (a PML4 frame). False when no
  // frame is left.
  static bool create(FrameProvider& frames, uint64_t kernel_root, uint64_t& root);

  PageMap(FrameProvider& frames, uint64_t root) : frames_(frames), root_(root) {}

  // Maps the page at `virt` to the frame at `phys` with `flags` (kWritable, kUser, kNoExecute;
  // kPresent is implied). Both must be page-aligned and `virt` in the user half.
  MapResult map(uint64_t virt, uint64_t phys, uint64_t flags);
  // Removes the mapping of `virt`; false if it was not mapped. The frame is not freed.
  bool unmap(uint64_t virt, uint64_t* phys = nullptr);
  // The frame and leaf flags of `virt` (any address inside the page); false if unmapped.
  bool translate(uint64_t virt, uint64_t* phys, uint64_t* flags) const;
  // Calls visit(context, virt, phys) for every mapped user page, in address order.
  void for_each_mapping(void (*visit)(void* context, uint64_t virt, uint64_t phys),
                        void* context) const;
  // Frees every table of the user half and the root; the mapped frames are the caller's (free
  // them first, e.g. with for_each_mapping). Returns the number of table frames freed.
  size_t destroy();

  uint64_t root() const { return root_; }
  // Table frames in use, the root included.
  size_t table_frames() const;

 private:
  uint64_t* table(uint64_t phys) const {
    return static_cast<uint64_t*>(frames_.frame_pointer(phys));
  }
  // The leaf entry for `virt`, creating missing tables when `create` is set; nullptr otherwise.
  uint64_t* leaf_entry(uint64_t virt, bool create, bool* out_of_memory);

  FrameProvider& frames_;
  uint64_t root_;
};

}  // namespace rayos
