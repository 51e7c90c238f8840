#pragma once
#include <filesystem>

namespace osh {

// The directory holding the running executable (build/bin): where rayos.elf, the rayos schema
// and the accelerator probe kernel are installed next to osharness.
std::filesystem::path install_dir();

// Whether `path` is `folder` or lies under it, with `..` and symlinks resolved as far as the
// path exists (a link inside the folder that points out of it is outside).
bool path_within(const std::filesystem::path& path, const std::filesystem::path& folder);

}  // namespace osh
