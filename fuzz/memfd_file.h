#pragma once
// A file for a fuzz target's input that readers open by path: a memfd named by /proc/self/fd,
// so that no file is left behind, whatever the run. Shared by the targets of file readers.
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace osh::fuzz {

// A new memfd called `name`, as a path; aborts if there is none.
inline std::filesystem::path memfd_path(const char* name) {
  const int fd = memfd_create(name, MFD_CLOEXEC);
  if (fd < 0) std::abort();
  return std::filesystem::path("/proc/self/fd") / std::to_string(fd);
}

// Replaces the file's contents with `data`; aborts if it cannot.
inline void replace_contents(const std::filesystem::path& path, const uint8_t* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  if (!out) std::abort();
}

}  // namespace osh::fuzz
