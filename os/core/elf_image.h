#pragma once
// Reads and checks a static x86-64 ELF executable before the kernel loads it into a process:
// every offset, size and address is bounds-checked against the file and the user address range,
// so a truncated or hostile image gives a reason, never a wild read or a mapping in the kernel.
#include <stddef.h>
#include <stdint.h>

#include "os/core/text_buffer.h"

namespace rayos {

struct ElfSegment {
  uint64_t vaddr;
  uint64_t memsz;
  uint64_t offset;  // of the file bytes
  uint64_t filesz;  // <= memsz; the rest is zero
  bool writable;
  bool executable;
};

struct ElfImage {
  static constexpr size_t kMaxSegments = 8;
  uint64_t entry = 0;
  ElfSegment segments[kMaxSegments] = {};
  size_t segment_count = 0;
};

// Accepts ELFCLASS64, little-endian, ET_EXEC, EM_X86_64 images whose PT_LOAD segments lie in
// [low, high), do not share a page, are not both writable and executable, and whose entry point
// is in an executable segment. False with a reason (no spaces) in `error` otherwise.
// `planted`: bug knobs (os/core/bug_knobs.h; kBugElfPhdrPastEnd).
bool parse_elf(const uint8_t* data, size_t size, uint64_t low, uint64_t high, ElfImage& out,
               TextBuffer& error, uint32_t planted = 0);

}  // namespace rayos
