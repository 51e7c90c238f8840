#include "os/core/elf_image.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "os/core/bug_knobs.h"

namespace rayos {
namespace {

constexpr uint64_t kLow = 0x400000;
constexpr uint64_t kHigh = 0x40000000;

std::string str(StringView v) { return std::string(v.data(), v.size()); }

// Builds a minimal ELF64 executable byte by byte.
class ElfBuilder {
 public:
  struct Phdr {
    uint32_t type = 1, flags = 5;
    uint64_t offset = 0, vaddr = kLow, filesz = 16, memsz = 16;
  };
  ElfBuilder() { phdrs.push_back({}); }

  std::vector<uint8_t> build() const {
    std::vector<uint8_t> b(64 + phdrs.size() * 56 + 64, 0);
    const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    std::memcpy(b.data(), ident, sizeof ident);
    put<uint16_t>(b, 16, type);
    put<uint16_t>(b, 18, machine);
    put<uint32_t>(b, 20, 1);
    put<uint64_t>(b, 24, entry);
    put<uint64_t>(b, 32, 64);
    put<uint16_t>(b, 52, 64);
    put<uint16_t>(b, 54, phentsize);
    put<uint16_t>(b, 56, static_cast<uint16_t>(phdrs.size()));
    for (size_t i = 0; i < phdrs.size(); ++i) {
      size_t at = 64 + i * 56;
      put<uint32_t>(b, at, phdrs[i].type);
      put<uint32_t>(b, at + 4, phdrs[i].flags);
      put<uint64_t>(b, at + 8, phdrs[i].offset);
      put<uint64_t>(b, at + 16, phdrs[i].vaddr);
      put<uint64_t>(b, at + 24, phdrs[i].vaddr);
      put<uint64_t>(b, at + 32, phdrs[i].filesz);
      put<uint64_t>(b, at + 40, phdrs[i].memsz);
      put<uint64_t>(b, at + 48, 4096);
    }
    return b;
  }

  uint16_t type = 2, machine = 62, phentsize = 56;
  uint64_t entry = kLow;
  std::vector<Phdr> phdrs;

 private:
  template <typename T>
  static void put(std::vector<uint8_t>& b, size_t at, T value) {
    std::memcpy(b.data() + at, &value, sizeof value);
  }
};

std::string reason_for(const std::vector<uint8_t>& bytes) {
  ElfImage image;
  TextBuffer error;
  EXPECT_FALSE(parse_elf(bytes.data(), bytes.size(), kLow, kHigh, image, error));
  EXPECT_EQ(image.segment_count, 0u);
  return str(error.view());
}

TEST(ElfImage, AcceptsAMinimalExecutable) {
  ElfBuilder elf;
  elf.phdrs.push_back({1, 6, 0, 0x401000, 8, 0x3000});  // data + bss, read-write
  elf.phdrs.push_back({0x6474e551, 6, 0, 0, 0, 0});     // PT_GNU_STACK: ignored
  auto bytes = elf.build();
  ElfImage image;
  TextBuffer error;
  ASSERT_TRUE(parse_elf(bytes.data(), bytes.size(), kLow, kHigh, image, error))
      << str(error.view());
  EXPECT_EQ(image.entry, kLow);
  ASSERT_EQ(image.segment_count, 2u);
  EXPECT_TRUE(image.segments[0].executable);
  EXPECT_FALSE(image.segments[0].writable);
  EXPECT_EQ(image.segments[1].vaddr, 0x401000u);
  EXPECT_EQ(image.segments[1].memsz, 0x3000u);
  EXPECT_EQ(image.segments[1].filesz, 8u);
  EXPECT_TRUE(image.segments[1].writable);
}

TEST(ElfImage, RejectsBadHeaders) {
  EXPECT_EQ(reason_for({}), "elf_shorter_than_its_header");
  auto bytes = ElfBuilder().build();
  bytes[1] = 'X';
  EXPECT_EQ(reason_for(bytes), "not_an_elf_file(bad_magic)");
  bytes = ElfBuilder().build();
  bytes[4] = 1;
  EXPECT_EQ(reason_for(bytes), "not_elf64");
  bytes = ElfBuilder().build();
  bytes[5] = 2;
  EXPECT_EQ(reason_for(bytes), "not_little_endian");
  bytes = ElfBuilder().build();
  bytes[6] = 0;
  EXPECT_EQ(reason_for(bytes), "bad_elf_version");
  ElfBuilder dyn;
  dyn.type = 3;
  EXPECT_EQ(reason_for(dyn.build()), "not_an_executable(e_type)");
  ElfBuilder arm;
  arm.machine = 183;
  EXPECT_EQ(reason_for(arm.build()), "not_x86_64(e_machine)");
  ElfBuilder entsize;
  entsize.phentsize = 32;
  EXPECT_EQ(reason_for(entsize.build()), "bad_program_header_size");
  ElfBuilder none;
  none.phdrs.clear();
  EXPECT_EQ(reason_for(none.build()), "bad_program_header_count");
}

TEST(ElfImage, RejectsProgramHeadersPastTheEnd) {
  auto bytes = ElfBuilder().build();
  bytes.resize(64 + 20);
  EXPECT_EQ(reason_for(bytes), "program_headers_outside_the_file");
  bytes = ElfBuilder().build();
  uint64_t huge = UINT64_MAX - 8;
  std::memcpy(bytes.data() + 32, &huge, 8);  // phoff
  EXPECT_EQ(reason_for(bytes), "program_headers_outside_the_file");
}

// The planted kBugElfPhdrPastEnd: headers that start inside the file but end past it are read.
// Here the bytes past the size given are still the vector's, so the image is accepted.
TEST(ElfImage, ThePlantedBugReadsProgramHeadersPastTheEnd) {
  const auto bytes = ElfBuilder().build();
  const size_t cut = 64 + 20;  // the one header ends 36 bytes past this
  ElfImage image;
  TextBuffer error;
  EXPECT_FALSE(parse_elf(bytes.data(), cut, kLow, kHigh, image, error));
  EXPECT_EQ(str(error.view()), "program_headers_outside_the_file");
  error.clear();
  EXPECT_TRUE(parse_elf(bytes.data(), cut, kLow, kHigh, image, error, kBugElfPhdrPastEnd))
      << str(error.view());
}

TEST(ElfImage, RejectsBadSegments) {
  ElfBuilder e;
  e.phdrs[0].filesz = 32;
  e.phdrs[0].memsz = 16;
  EXPECT_EQ(reason_for(e.build()), "segment_filesz_above_memsz");

  e = ElfBuilder();
  e.phdrs[0].offset = 100000;
  EXPECT_EQ(reason_for(e.build()), "segment_data_outside_the_file");
  e.phdrs[0].offset = UINT64_MAX;  // offset + filesz would wrap
  EXPECT_EQ(reason_for(e.build()), "segment_data_outside_the_file");

  e = ElfBuilder();
  e.phdrs[0].vaddr = 0xffffffff80000000;
  EXPECT_EQ(reason_for(e.build()), "segment_outside_the_user_image_range");
  e.phdrs[0].vaddr = 0x1000;  // below the image range: null pointers must stay unmapped
  EXPECT_EQ(reason_for(e.build()), "segment_outside_the_user_image_range");
  e.phdrs[0].vaddr = kHigh - 8;  // runs past the top
  EXPECT_EQ(reason_for(e.build()), "segment_outside_the_user_image_range");
  e.phdrs[0].vaddr = kLow;
  e.phdrs[0].memsz = UINT64_MAX;  // vaddr + memsz would wrap
  EXPECT_EQ(reason_for(e.build()), "segment_outside_the_user_image_range");

  e = ElfBuilder();
  e.phdrs[0].flags = 7;
  EXPECT_EQ(reason_for(e.build()), "segment_both_writable_and_executable");

  e = ElfBuilder();
  e.phdrs.push_back({1, 6, 0, kLow + 0x800, 8, 8});  // same page as the text
  EXPECT_EQ(reason_for(e.build()), "segments_share_a_page");

  e = ElfBuilder();
  for (int i = 0; i < 9; ++i) e.phdrs.push_back({1, 4, 0, kLow + 0x1000 * (i + 1), 8, 8});
  EXPECT_EQ(reason_for(e.build()), "too_many_segments");
}

TEST(ElfImage, RejectsABadEntryPoint) {
  ElfBuilder e;
  e.entry = kLow + 16;  // just past the text
  EXPECT_EQ(reason_for(e.build()), "entry_point_not_in_an_executable_segment");
  e = ElfBuilder();
  e.phdrs[0].flags = 4;  // read-only: nothing executable
  EXPECT_EQ(reason_for(e.build()), "entry_point_not_in_an_executable_segment");
  e = ElfBuilder();
  e.phdrs[0].memsz = 0;  // empty segments are skipped
  EXPECT_EQ(reason_for(e.build()), "no_loadable_segment");
}

TEST(ElfImage, SurvivesEveryTruncation) {
  auto bytes = ElfBuilder().build();
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(n));
    ElfImage image;
    TextBuffer error;
    parse_elf(cut.data(), cut.size(), kLow, kHigh, image, error);  // must not read past `cut`
  }
}

}  // namespace
}  // namespace rayos
