#pragma once
// What a kernel image file is, from its headers, before any VM boots it. QEMU's -kernel boots
// an ELF with a PVH entry note, a 32-bit multiboot (v1) image or a Linux bzImage, on each of
// the machines the harness offers alike (microvm, pc, q35: measured, docs/vm.md); anything else
// it takes for a raw real-mode kernel and jumps into, which ends as a HANG after the idle limit
// instead of an error saying what is wrong with the file, or refuses (an ELF64 multiboot image).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace osh::vm {

struct KernelImage {
  enum class Format { ElfPvh, Multiboot, LinuxBzImage, NotBootable };
  Format format = Format::NotBootable;
  // What was found: "an ELF with a PVH entry note", "an ELF64 executable without a PVH entry
  // note or a multiboot header", "no kernel format: starts with 41 41 41 41 ...".
  std::string description;
  bool bootable() const { return format != Format::NotBootable; }
};

// `read_at(offset, size)`: up to `size` bytes of the image from `offset` (fewer at its end).
using ReadAt = std::function<std::string(uint64_t offset, size_t size)>;
KernelImage classify_kernel(const ReadAt& read_at);

// Reads the file. Throws osh::InfraError naming the path and errno when it cannot be read.
KernelImage inspect_kernel(const std::filesystem::path& path);

// Throws osh::InputError when the image is not bootable: "<what> <path> is <description>;
// <what to do>". `what` names the field ("guest.kernel in specs/x.json").
void require_bootable_kernel(const std::filesystem::path& path, const std::string& what);

}  // namespace osh::vm
