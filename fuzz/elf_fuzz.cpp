// rayos's ELF loader check (os/core/elf_image.h) compiled for the host, on whole images of any
// size (the guest's `elf` fuzz target edits its programs within 84-byte inputs): nothing may
// read past the bytes (ASan), and an image it accepts must keep every promise of its contract —
// each segment's file bytes inside the file and no more of them than its memory size, its
// addresses in the user image range, not writable and executable at once, no page shared with
// another segment, the entry point in an executable one. A broken promise aborts naming it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "os/core/elf_image.h"
#include "os/core/syscall_abi.h"

namespace {

constexpr uint64_t kLow = rayos::abi::kUserImageBase;
constexpr uint64_t kHigh = rayos::abi::kUserImageLimit;

[[noreturn]] void broken(const char* promise, size_t segment) {
  std::fprintf(stderr, "parse_elf accepted an image whose segment %zu breaks: %s\n", segment,
               promise);
  std::abort();
}

uint64_t first_page(const rayos::ElfSegment& s) { return s.vaddr / 4096; }
uint64_t last_page(const rayos::ElfSegment& s) { return (s.vaddr + s.memsz - 1) / 4096; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rayos::ElfImage image;
  rayos::TextBuffer error;
  if (!rayos::parse_elf(data, size, kLow, kHigh, image, error)) return 0;
  bool entry_found = false;
  for (size_t i = 0; i < image.segment_count; ++i) {
    const rayos::ElfSegment& s = image.segments[i];
    if (s.offset > size || s.filesz > size - s.offset) broken("file bytes inside the file", i);
    if (s.filesz > s.memsz) broken("filesz <= memsz", i);
    if (s.memsz == 0 || s.vaddr < kLow || s.vaddr >= kHigh || s.memsz > kHigh - s.vaddr)
      broken("inside the user image range", i);
    if (s.writable && s.executable) broken("not writable and executable", i);
    for (size_t k = 0; k < i; ++k)
      if (first_page(s) <= last_page(image.segments[k]) &&
          first_page(image.segments[k]) <= last_page(s))
        broken("no page shared with an earlier segment", i);
    entry_found |= s.executable && image.entry >= s.vaddr && image.entry - s.vaddr < s.memsz;
  }
  if (!entry_found) broken("the entry point in an executable segment", image.segment_count);
  return 0;
}
