#include "harness/vm/kernel_image.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh::vm {
namespace {

using ::testing::HasSubstr;
using F = KernelImage::Format;

KernelImage classify(const std::string& bytes) {
  return classify_kernel([&](uint64_t offset, size_t size) -> std::string {
    if (offset >= bytes.size()) return "";
    return bytes.substr(offset, size);
  });
}

template <typename T>
void put(std::string& bytes, size_t at, T value) {
  if (bytes.size() < at + sizeof value) bytes.resize(at + sizeof value);
  std::memcpy(bytes.data() + at, &value, sizeof value);
}

// A multiboot (v1) header with `flags` at `at`, its checksum right.
void put_multiboot_header(std::string& bytes, size_t at, uint32_t flags) {
  put<uint32_t>(bytes, at, 0x1BADB002);
  put<uint32_t>(bytes, at + 4, flags);
  put<uint32_t>(bytes, at + 8, uint32_t(0) - 0x1BADB002 - flags);
}

// A minimal ELF64: its header, one PT_NOTE program header and that note.
std::string elf64_with_note(uint32_t type, const std::string& name) {
  std::string elf(64, '\0');
  std::memcpy(elf.data(),
              "\x7f"
              "ELF\x02\x01\x01",
              7);
  put<uint64_t>(elf, 0x20, 64);  // e_phoff
  put<uint16_t>(elf, 0x36, 56);  // e_phentsize
  put<uint16_t>(elf, 0x38, 1);   // e_phnum
  std::string note;
  put<uint32_t>(note, 0, uint32_t(name.size()));
  put<uint32_t>(note, 4, 4);
  put<uint32_t>(note, 8, type);
  note += name;
  note.resize((note.size() + 3) & ~size_t(3));
  note += std::string("\x00\x00\x10\x00", 4);  // the entry address
  std::string ph(56, '\0');
  put<uint32_t>(ph, 0, 4);             // PT_NOTE
  put<uint64_t>(ph, 8, 64 + 56);       // p_offset
  put<uint64_t>(ph, 32, note.size());  // p_filesz
  return elf + ph + note;
}

TEST(KernelImage, AnElfWithAPvhNoteBoots) {
  const auto image = classify(elf64_with_note(18, std::string("Xen\0", 4)));
  EXPECT_EQ(image.format, F::ElfPvh);
  EXPECT_EQ(image.description, "an ELF64 with a PVH entry note");
}

TEST(KernelImage, TheBuiltTestKernelIsAnElf32WithAPvhNote) {
  const auto image = inspect_kernel(OSH_VM_TEST_KERNEL);
  EXPECT_EQ(image.format, F::ElfPvh) << image.description;
  EXPECT_EQ(image.description, "an ELF32 with a PVH entry note");
}

TEST(KernelImage, AnElfWithoutThePvhNoteOrMultibootIsNotBootable) {
  EXPECT_FALSE(classify(elf64_with_note(17, std::string("Xen\0", 4))).bootable());
  EXPECT_FALSE(classify(elf64_with_note(18, std::string("GNU\0", 4))).bootable());
  const auto image = inspect_kernel("/proc/self/exe");  // this test: an ELF64, no PVH note
  EXPECT_EQ(image.format, F::NotBootable);
  EXPECT_THAT(image.description, HasSubstr("ELF64 file without a PVH entry note"));
}

TEST(KernelImage, ALinuxBzImageBoots) {
  std::string bz(0x1000, '\0');
  put<uint16_t>(bz, 0x1FE, 0xAA55);
  std::memcpy(bz.data() + 0x202, "HdrS", 4);
  EXPECT_EQ(classify(bz).format, F::LinuxBzImage);
  EXPECT_EQ(classify(bz).description, "a Linux bzImage");
}

TEST(KernelImage, AMultibootHeaderWithItsChecksumBoots) {
  std::string image(0x2000, '\x90');
  put_multiboot_header(image, 0x100, 0x00010003);
  EXPECT_EQ(classify(image).format, F::Multiboot);
  put<uint32_t>(image, 0x108, 0);  // a bad checksum: not a header
  EXPECT_FALSE(classify(image).bootable());
}

// Not an ELF and no load addresses in the header: QEMU stops with "Error while loading elf
// kernel" on microvm, pc and q35 alike.
TEST(KernelImage, AMultibootImageThatIsNotElfNeedsTheAddressFields) {
  std::string image(0x2000, '\x90');
  put_multiboot_header(image, 0x100, 0x00000003);
  EXPECT_EQ(classify(image).format, F::NotBootable);
  EXPECT_THAT(classify(image).description, HasSubstr("without the header's address fields"));
}

TEST(KernelImage, TheBuiltMultibootTestKernelIsAnElf32WithAMultibootHeader) {
  const auto image = inspect_kernel(OSH_VM_TEST_KERNEL_MULTIBOOT);
  EXPECT_EQ(image.format, F::Multiboot) << image.description;
  EXPECT_EQ(image.description, "an ELF32 with a multiboot header");
}

// QEMU stops with "Cannot load x86-64 image, give a 32bit one" on microvm, pc and q35 alike.
TEST(KernelImage, AnElf64WhoseOnlyEntryIsMultibootIsNotBootable) {
  std::string elf = elf64_with_note(17, std::string("Xen\0", 4));  // a note, not the PVH one
  elf.resize(0x400, '\0');
  put_multiboot_header(elf, 0x200, 0x00000003);
  const auto image = classify(elf);
  EXPECT_EQ(image.format, F::NotBootable);
  EXPECT_THAT(image.description, HasSubstr("ELF64 with a multiboot header but no PVH entry note"));
  // With the PVH note as well, QEMU enters it through the note.
  std::string both = elf64_with_note(18, std::string("Xen\0", 4));
  both.resize(0x400, '\0');
  put_multiboot_header(both, 0x200, 0x00000003);
  EXPECT_EQ(classify(both).format, F::ElfPvh);
}

TEST(KernelImage, RandomBytesSayWhatTheyStartWith) {
  const auto image = classify(std::string(64 << 10, 'A'));
  EXPECT_EQ(image.format, F::NotBootable);
  EXPECT_THAT(image.description, HasSubstr("starts with 41 41 41 41 41 41 41 41 ..."));
  EXPECT_EQ(classify("").description, "an empty file");
}

TEST(KernelImage, TruncatedOrLyingElfHeadersAreNotBootableAndReadNothingOutside) {
  std::string elf = elf64_with_note(18, std::string("Xen\0", 4));
  EXPECT_FALSE(classify(elf.substr(0, 100)).bootable()) << "program header cut";
  put<uint64_t>(elf, 0x20, ~uint64_t(0) - 8);  // e_phoff past any file
  EXPECT_FALSE(classify(elf).bootable());
  elf = elf64_with_note(18, std::string("Xen\0", 4));
  put<uint32_t>(elf, 64 + 56, 0xFFFFFFF0);  // the note's name size
  EXPECT_FALSE(classify(elf).bootable());
}

TEST(KernelImage, RequireBootableKernelNamesTheFieldAndWhatWasFound) {
  test_support::TempDir dir;
  const auto path = dir.path() / "junk.bin";
  std::ofstream(path) << std::string(4096, 'A');
  try {
    require_bootable_kernel(path, "guest.kernel in x.json:");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("guest.kernel in x.json: " + path.string() +
                                    " is no kernel format QEMU boots"));
    EXPECT_THAT(e.what(), HasSubstr("no QEMU machine boots it"));
    EXPECT_THAT(e.what(), HasSubstr("give an ELF with a PVH note"));
  }
  EXPECT_THROW(inspect_kernel(dir.path() / "missing"), InfraError);
}

}  // namespace
}  // namespace osh::vm
