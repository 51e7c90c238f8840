#pragma once
#include <filesystem>

namespace osh::vm::qemu {

// The QEMU to run: $OSH_QEMU when set (a path, or a name looked up in PATH), else
// qemu-system-x86_64 from PATH. Throws osh::InfraError saying how to install or point to it.
std::filesystem::path find_qemu();

}  // namespace osh::vm::qemu
