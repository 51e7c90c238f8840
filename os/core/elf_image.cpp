#include "os/core/elf_image.h"

#include "os/core/bug_knobs.h"

namespace rayos {
namespace {

constexpr size_t kEhdrSize = 64;
constexpr size_t kPhdrSize = 56;
constexpr size_t kMaxPhdrs = 64;
constexpr uint16_t kTypeExec = 2;
constexpr uint16_t kMachineX86_64 = 62;
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kFlagExecute = 1;
constexpr uint32_t kFlagWrite = 2;
constexpr uint64_t kPage = 4096;

template <typename T>
T load(const uint8_t* at) {
  T value;
  __builtin_memcpy(&value, at, sizeof value);  // the image may sit at any alignment
  return value;
}

bool fail(TextBuffer& error, StringView reason) {
  error.add(reason);
  return false;
}

uint64_t page_down(uint64_t a) { return a & ~(kPage - 1); }

bool parse(const uint8_t* data, size_t size, uint64_t low, uint64_t high, ElfImage& out,
           TextBuffer& error, uint32_t planted) {
  if (data == nullptr || size < kEhdrSize) return fail(error, "elf_shorter_than_its_header");
  if (data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F')
    return fail(error, "not_an_elf_file(bad_magic)");
  if (data[4] != 2) return fail(error, "not_elf64");
  if (data[5] != 1) return fail(error, "not_little_endian");
  if (data[6] != 1) return fail(error, "bad_elf_version");
  if (load<uint16_t>(data + 16) != kTypeExec) return fail(error, "not_an_executable(e_type)");
  if (load<uint16_t>(data + 18) != kMachineX86_64) return fail(error, "not_x86_64(e_machine)");
  uint64_t entry = load<uint64_t>(data + 24);
  uint64_t phoff = load<uint64_t>(data + 32);
  uint16_t phentsize = load<uint16_t>(data + 54);
  uint16_t phnum = load<uint16_t>(data + 56);
  if (phentsize != kPhdrSize) return fail(error, "bad_program_header_size");
  if (phnum == 0 || phnum > kMaxPhdrs) return fail(error, "bad_program_header_count");
  if (phoff > size || ((planted & kBugElfPhdrPastEnd) == 0 && phnum * kPhdrSize > size - phoff))
    return fail(error, "program_headers_outside_the_file");

  for (size_t i = 0; i < phnum; ++i) {
    const uint8_t* ph = data + phoff + i * kPhdrSize;
    if (load<uint32_t>(ph) != kPtLoad) continue;
    uint32_t flags = load<uint32_t>(ph + 4);
    ElfSegment s{load<uint64_t>(ph + 16), load<uint64_t>(ph + 40),   load<uint64_t>(ph + 8),
                 load<uint64_t>(ph + 32), (flags & kFlagWrite) != 0, (flags & kFlagExecute) != 0};
    if (s.memsz == 0) continue;
    if (out.segment_count == ElfImage::kMaxSegments) return fail(error, "too_many_segments");
    if (s.filesz > s.memsz) return fail(error, "segment_filesz_above_memsz");
    if (s.offset > size || s.filesz > size - s.offset)
      return fail(error, "segment_data_outside_the_file");
    if (s.vaddr < low || s.vaddr >= high || s.memsz > high - s.vaddr)
      return fail(error, "segment_outside_the_user_image_range");
    if (s.writable && s.executable) return fail(error, "segment_both_writable_and_executable");
    for (size_t k = 0; k < out.segment_count; ++k) {
      const ElfSegment& o = out.segments[k];
      uint64_t s_first = page_down(s.vaddr), s_last = page_down(s.vaddr + s.memsz - 1);
      uint64_t o_first = page_down(o.vaddr), o_last = page_down(o.vaddr + o.memsz - 1);
      if (s_first <= o_last && o_first <= s_last) return fail(error, "segments_share_a_page");
    }
    out.segments[out.segment_count++] = s;
  }
  if (out.segment_count == 0) return fail(error, "no_loadable_segment");
  for (size_t k = 0; k < out.segment_count; ++k) {
    const ElfSegment& s = out.segments[k];
    if (s.executable && entry >= s.vaddr && entry - s.vaddr < s.memsz) {
      out.entry = entry;
      return true;
    }
  }
  return fail(error, "entry_point_not_in_an_executable_segment");
}

}  // namespace

bool parse_elf(const uint8_t* data, size_t size, uint64_t low, uint64_t high, ElfImage& out,
               TextBuffer& error, uint32_t planted) {
  out = ElfImage{};
  if (parse(data, size, low, high, out, error, planted)) return true;
  out = ElfImage{};  // nothing half-checked is left for a careless caller
  return false;
}

}  // namespace rayos
