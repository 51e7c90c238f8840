#include "harness/vm/kernel_image.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "harness/base/errors.h"
#include "harness/base/unique_fd.h"

namespace osh::vm {
namespace {

// Where the formats put what identifies them (QEMU's hw/i386/x86.c and multiboot.c look at the
// same places).
constexpr size_t kMultibootSearchBytes = 8192;  // the header is 4-aligned within the first 8 KiB
constexpr uint32_t kMultibootMagic = 0x1BADB002;
constexpr uint32_t kMultibootAddressFields = 1u << 16;  // MULTIBOOT_AOUT_KLUDGE
constexpr size_t kBootFlagOffset = 0x1FE;               // 0xAA55
constexpr size_t kLinuxHeaderOffset = 0x202;            // "HdrS"
constexpr uint32_t kPhys32EntryNote = 18;               // XEN_ELFNOTE_PHYS32_ENTRY, name "Xen"
constexpr uint16_t kMaxProgramHeaders = 512;
constexpr uint64_t kMaxNoteBytes = 1 << 20;

template <typename T>
T load(std::string_view bytes, size_t at) {  // little-endian, as x86 images are
  T v{};
  if (at + sizeof v <= bytes.size()) std::memcpy(&v, bytes.data() + at, sizeof v);
  return v;
}

// The flags of the multiboot header, if there is one.
std::optional<uint32_t> multiboot_flags(std::string_view head) {
  for (size_t at = 0; at + 12 <= std::min(head.size(), kMultibootSearchBytes); at += 4) {
    const uint32_t magic = load<uint32_t>(head, at);
    const uint32_t flags = load<uint32_t>(head, at + 4);
    if (magic == kMultibootMagic && magic + flags + load<uint32_t>(head, at + 8) == 0) return flags;
  }
  return std::nullopt;
}

bool has_multiboot_header(std::string_view head) { return multiboot_flags(head).has_value(); }

bool is_linux_bzimage(std::string_view head) {
  return load<uint16_t>(head, kBootFlagOffset) == 0xAA55 &&
         head.substr(std::min(head.size(), kLinuxHeaderOffset), 4) == "HdrS";
}

// Whether one PT_NOTE segment's notes hold the PVH entry.
bool has_pvh_note(std::string_view notes) {
  size_t at = 0;
  const auto padded = [](uint64_t n) { return (n + 3) & ~uint64_t(3); };
  while (at + 12 <= notes.size()) {
    const uint64_t name_size = load<uint32_t>(notes, at);
    const uint64_t desc_size = load<uint32_t>(notes, at + 4);
    const uint32_t type = load<uint32_t>(notes, at + 8);
    const size_t name_at = at + 12;
    if (type == kPhys32EntryNote && name_size == 4 &&
        notes.substr(name_at, 4) == std::string_view("Xen\0", 4))
      return true;
    at = name_at + padded(name_size) + padded(desc_size);
  }
  return false;
}

bool elf_has_pvh_note(std::string_view head, const ReadAt& read_at) {
  const bool elf64 = head[4] == 2;
  const uint64_t phoff = elf64 ? load<uint64_t>(head, 0x20) : load<uint32_t>(head, 0x1C);
  const uint16_t phentsize = load<uint16_t>(head, elf64 ? 0x36 : 0x2A);
  const uint16_t phnum = std::min(load<uint16_t>(head, elf64 ? 0x38 : 0x2C), kMaxProgramHeaders);
  if (phentsize < (elf64 ? 56 : 32)) return false;
  const std::string headers = read_at(phoff, size_t(phentsize) * phnum);
  for (size_t i = 0; (i + 1) * phentsize <= headers.size(); ++i) {
    const std::string_view ph = std::string_view(headers).substr(i * phentsize, phentsize);
    if (load<uint32_t>(ph, 0) != 4) continue;  // PT_NOTE
    const uint64_t offset = elf64 ? load<uint64_t>(ph, 8) : load<uint32_t>(ph, 4);
    const uint64_t size = elf64 ? load<uint64_t>(ph, 32) : load<uint32_t>(ph, 16);
    if (has_pvh_note(read_at(offset, size_t(std::min(size, kMaxNoteBytes))))) return true;
  }
  return false;
}

std::string first_bytes(std::string_view head) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < std::min<size_t>(head.size(), 8); ++i) {
    const auto c = static_cast<unsigned char>(head[i]);
    out += (i ? " " : "");
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out + (head.size() > 8 ? " ..." : "");
}

}  // namespace

KernelImage classify_kernel(const ReadAt& read_at) {
  using F = KernelImage::Format;
  const std::string head = read_at(0, 32 << 10);
  if (head.empty()) return {F::NotBootable, "an empty file"};
  if (head.size() >= 0x40 && head.starts_with("\x7f"
                                              "ELF")) {
    const std::string kind = head[4] == 2 ? "ELF64" : head[4] == 1 ? "ELF32" : "ELF";
    if ((head[4] == 1 || head[4] == 2) && head[5] == 1 && elf_has_pvh_note(head, read_at))
      return {F::ElfPvh, "an " + kind + " with a PVH entry note"};
    // QEMU's multiboot loader refuses an ELF64 on every machine ("Cannot load x86-64 image,
    // give a 32bit one": measured on microvm, pc and q35, docs/vm.md).
    if (has_multiboot_header(head) && head[4] == 2)
      return {F::NotBootable,
              "an ELF64 with a multiboot header but no PVH entry note, which QEMU's multiboot "
              "loader refuses (it takes 32-bit ELF only: link the kernel as elf32-i386, or add "
              "a PVH note)"};
    if (has_multiboot_header(head))
      return {F::Multiboot, "an " + kind + " with a multiboot header"};
    return {F::NotBootable, "an " + kind +
                                " file without a PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY) or a "
                                "multiboot header, which QEMU cannot enter"};
  }
  if (is_linux_bzimage(head)) return {F::LinuxBzImage, "a Linux bzImage"};
  if (const auto flags = multiboot_flags(head)) {
    // Outside an ELF, QEMU takes where to load the image from the header's address fields;
    // without them it stops with "Error while loading elf kernel" (measured on each machine).
    if (*flags & kMultibootAddressFields) return {F::Multiboot, "a multiboot image"};
    return {F::NotBootable,
            "a multiboot image without the header's address fields (flag bit 16), which QEMU "
            "needs to load an image that is not ELF"};
  }
  return {F::NotBootable,
          "no kernel format QEMU boots (not an ELF, a Linux bzImage or a multiboot image; it "
          "starts with " +
              first_bytes(head) + ")"};
}

KernelImage inspect_kernel(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw InfraError(errno_message("cannot read the kernel image " + path.string(), errno));
  int read_errno = 0;
  const auto read_at = [&](uint64_t offset, size_t size) {
    std::string out(size, '\0');
    size_t got = 0;
    while (got < size) {
      const ssize_t n = ::pread(fd.get(), out.data() + got, size - got, off_t(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) read_errno = errno;
      if (n <= 0) break;
      got += size_t(n);
    }
    out.resize(got);
    return out;
  };
  KernelImage image = classify_kernel(read_at);
  if (read_errno != 0)
    throw InfraError(errno_message("cannot read the kernel image " + path.string(), read_errno));
  return image;
}

void require_bootable_kernel(const std::filesystem::path& path, const std::string& what) {
  const KernelImage image = inspect_kernel(path);
  if (!image.bootable())
    throw InputError(what + " " + path.string() + " is " + image.description +
                     "; no QEMU machine boots it (microvm, pc and q35 boot the same formats): "
                     "give an ELF with a PVH note (like rayos.elf), a 32-bit multiboot image or "
                     "a Linux bzImage");
}

}  // namespace osh::vm
