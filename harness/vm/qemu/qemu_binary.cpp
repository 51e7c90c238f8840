#include "harness/vm/qemu/qemu_binary.h"

#include <fmt/format.h>

#include <cstdlib>

#include "harness/base/errors.h"
#include "harness/base/subprocess.h"

namespace osh::vm::qemu {

std::filesystem::path find_qemu() {
  if (const char* chosen = std::getenv("OSH_QEMU"); chosen != nullptr && *chosen != '\0') {
    if (auto path = find_executable(chosen)) return *path;
    throw InfraError(
        fmt::format("OSH_QEMU={} is not an executable file (nor a program in PATH); point it at "
                    "qemu-system-x86_64 or unset it",
                    chosen));
  }
  if (auto path = find_executable("qemu-system-x86_64")) return *path;
  const char* search = std::getenv("PATH");
  throw InfraError(fmt::format(
      "qemu-system-x86_64 not found in PATH ({}); install qemu-system-x86 (scripts/setup "
      "installs it) or set OSH_QEMU to its path",
      search != nullptr ? search : ""));
}

}  // namespace osh::vm::qemu
