#pragma once
#include <filesystem>

namespace osh {

// The directory holding the running executable (build/bin): where rayos.elf, the rayos schema
// and the accelerator probe kernel are installed next to osharness.
std::filesystem::path install_dir();

}  // namespace osh
