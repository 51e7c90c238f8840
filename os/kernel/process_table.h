#pragma once
// The process table as the kernel's own code sees it (process.cpp, sched.cpp, syscalls.cpp,
// ipc.cpp): slots, kernel stacks and the release of a dead task.
#include <stdint.h>

#include "os/kernel/process.h"

namespace rayos::kernel {

inline constexpr uint64_t kKernelStackPages = 4;

Process& process_at(uint32_t slot);
uint64_t kernel_stack_top(const Process& process);
// Panics if the task's kernel stack ran over its bottom canary (a kernel bug, not the
// process's).
void check_kernel_stack(uint32_t slot);
// Frees everything the task in `slot` held if it is dead and not yet freed, and wakes its
// parent. Called once the CPU has left the task's stack.
void release_if_dead(uint32_t slot);

}  // namespace rayos::kernel
