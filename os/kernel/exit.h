#pragma once
// How the guest ends: through QEMU's isa-debug-exit, which turns value v into QEMU exit status
// 2v+1.
#include <stdint.h>

namespace rayos::kernel {

inline constexpr uint32_t kExitOk = 0;
inline constexpr uint32_t kExitBadRequest = 2;  // bad command line or scenario parameters
inline constexpr uint32_t kExitPanic = 125;     // CPU exception or kernel panic

// Prints SYS:EXIT:<code>, then exits with `code`.
[[noreturn]] void exit_guest(uint32_t code);

}  // namespace rayos::kernel
