#pragma once
// Copies between the kernel and a process's memory without ever dereferencing a user pointer:
// each page is looked up (and faulted in when the process may have it) through the process's page
// tables and reached through the kernel's own mapping of its frame. A bad pointer therefore gives
// an error to the system call, never a kernel page fault.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

class UserPages {
 public:
  // The frame behind the page containing `virt`, if the process may read it (or write it, with
  // `write`); may back the page on first touch. False otherwise.
  virtual bool resolve(uint64_t virt, bool write, uint64_t& phys) = 0;
  virtual void* frame_pointer(uint64_t phys) = 0;

 protected:
  ~UserPages() = default;
};

// [address, address + size) lies in the user half and does not wrap.
bool user_range_valid(uint64_t address, uint64_t size);

// Whether every byte of [address, address + size) is accessible (for writing, with `write`);
// touches nothing.
bool probe_user(UserPages& pages, uint64_t address, size_t size, bool write);

// False (and possibly a partial copy) when any byte is not accessible.
bool copy_from_user(UserPages& pages, void* destination, uint64_t source, size_t size);
bool copy_to_user(UserPages& pages, uint64_t destination, const void* source, size_t size);

}  // namespace rayos
