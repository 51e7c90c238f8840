// elf: rayos's loader of ring-3 programs as spawn runs it — parse_elf (os/core/elf_image.cpp)
// checks the image, then a scratch address space is created, the segments are loaded into it
// (os/kernel/address_space.cpp) and it is torn down — on mutated copies of the programs the
// kernel embeds (os/kernel/user_images.h). Memory held before and after must match (FUZZ_LEAK).
//
// An image is 4-17 KiB and an input at most 84 bytes, so an input is an edit script over one of
// them: byte 0 picks the image (modulo their count), then each edit is a tag byte, an offset byte
// and a value — tag bits 7-6 the value's width (1, 2, 4 or 8 bytes, little-endian), bits 5-0 with
// the offset byte the offset (0-16383). An edit past the image's end is skipped; a 2-byte edit at
// 16383 truncates the image to that many bytes instead (the shortest asked for wins, after the
// other edits). Bytes missing at the end of the input read as 0. The edited image is copied so
// that it ends at an unmapped page (the target's scratch pages): a read past it faults.
#include "os/core/bug_knobs.h"
#include "os/core/elf_image.h"
#include "os/core/syscall_abi.h"
#include "os/core/text_buffer.h"
#include "os/kernel/address_space.h"
#include "os/kernel/bugs.h"
#include "os/kernel/panic.h"
#include "os/kernel/user_images.h"
#include "os/workloads/fuzz_targets.h"

namespace rayos::workloads {
namespace {

constexpr uint64_t kScratchPages = 8;  // the largest program is 17 KiB
constexpr uint16_t kTruncate = 0x3fff;
// A program needs a few pages and its 16-page stack; a fuzzed memsz may ask for far more, and
// each page loaded is a zeroed frame: past this many the load stops at the quota check.
constexpr uint64_t kMaxPages = 64;

constinit kernel::AddressSpace space;

struct Edit {
  uint16_t offset;
  uint8_t width;
  uint64_t value;
};

class EditReader : public InputReader {
 public:
  using InputReader::InputReader;
  Edit edit() {
    const uint8_t tag = byte();
    Edit e{static_cast<uint16_t>((tag & 63) << 8 | byte()), static_cast<uint8_t>(1 << (tag >> 6)),
           0};
    for (uint8_t i = 0; i < e.width; ++i) e.value |= uint64_t{byte()} << (8 * i);
    return e;
  }
};

bool is_truncation(const Edit& e) { return e.offset == kTruncate && e.width == 2; }

bool prepare_elf() {
  for (size_t i = 0; i < kernel::user_image_count(); ++i)
    if (kernel::user_image(i).size > kScratchPages * abi::kPageSize)
      kernel::panic("FUZZ_SETUP", "a_user_image_is_larger_than_the_elf_targets_scratch");
  return kernel::user_image_count() > 0;
}

void run_elf(const uint8_t* data, size_t size) {
  const HeldMemory before = held_memory();
  EditReader in(data, size);
  const kernel::UserImage original = kernel::user_image(in.byte() % kernel::user_image_count());
  size_t length = original.size;
  for (EditReader scan = in; !scan.done();)
    if (const Edit e = scan.edit(); is_truncation(e) && e.value < length) length = e.value;

  uint8_t* image = fuzz_scratch_end() - length;
  __builtin_memcpy(image, original.data, length);
  while (!in.done()) {
    const Edit e = in.edit();
    if (is_truncation(e) || e.offset + e.width > length) continue;
    __builtin_memcpy(image + e.offset, &e.value, e.width);
  }

  ElfImage elf;
  TextBuffer error;
  const uint32_t planted = kernel::planted(kBugElfPhdrPastEnd) ? uint32_t{kBugElfPhdrPastEnd} : 0u;
  if (parse_elf(image, length, abi::kUserImageBase, abi::kUserImageLimit, elf, error, planted)) {
    if (!space.create()) kernel::panic("FUZZ_SETUP", "no_memory_for_a_page_map");
    space.load(elf, image, kMaxPages);  // an error (quota, no memory) is an answer, not a bug
    space.release(false);
  }
  panic_on_leak(before);
}

// Edits of the fields the loader reads (ELF header: e_ident class, data and version, e_type,
// e_machine, e_entry, e_phoff, e_phentsize, e_phnum; the first two program headers' type, flags,
// offset, vaddr, filesz and memsz) and the truncation, each without its value: the mutator's
// byte changes and the zeros read past the input's end make the values.
constexpr StringView kElfWords[] = {
    StringView("\x00\x04", 2), StringView("\x00\x05", 2), StringView("\x00\x06", 2),
    StringView("\x40\x10", 2), StringView("\x40\x12", 2), StringView("\xc0\x18", 2),
    StringView("\xc0\x20", 2), StringView("\x40\x36", 2), StringView("\x40\x38", 2),
    StringView("\x80\x40", 2), StringView("\x80\x44", 2), StringView("\xc0\x48", 2),
    StringView("\xc0\x50", 2), StringView("\xc0\x60", 2), StringView("\xc0\x68", 2),
    StringView("\x80\x78", 2), StringView("\x80\x7c", 2), StringView("\xc0\x80", 2),
    StringView("\xc0\x88", 2), StringView("\xc0\x98", 2), StringView("\xc0\xa0", 2),
    StringView("\x7f\xff", 2),
};
// Every program as it is (13 today; an index past the count wraps).
constexpr StringView kElfSeeds[] = {
    StringView("\x00", 1), StringView("\x01", 1), StringView("\x02", 1), StringView("\x03", 1),
    StringView("\x04", 1), StringView("\x05", 1), StringView("\x06", 1), StringView("\x07", 1),
    StringView("\x08", 1), StringView("\x09", 1), StringView("\x0a", 1), StringView("\x0b", 1),
    StringView("\x0c", 1), StringView("\x0d", 1), StringView("\x0e", 1), StringView("\x0f", 1),
};

}  // namespace

constexpr FuzzTarget kElfFuzzTarget{
    "elf",        {kElfWords, sizeof kElfWords / sizeof kElfWords[0]},
    kElfSeeds,    sizeof kElfSeeds / sizeof kElfSeeds[0],
    run_elf,      prepare_elf,
    kScratchPages};

}  // namespace rayos::workloads
