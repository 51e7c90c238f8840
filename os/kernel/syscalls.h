#pragma once
// The system-call layer (ABI: os/core/syscall_abi.h): checks every argument — call number,
// ranges, and each user pointer through the process's page tables — before acting, and answers
// a bad one with an error code. The kernel never touches user memory through a user pointer.
namespace rayos::kernel {

// Registers the `int $0x80` gate.
void syscalls_init();

}  // namespace rayos::kernel
