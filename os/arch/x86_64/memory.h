#pragma once
// The kernel's address space: KERNEL_VMA + physical maps the first GiB of physical memory
// (boot.S); the lower half is unmapped.
#include <stdint.h>

namespace rayos::arch {

inline constexpr uintptr_t kKernelVma = 0xffffffff80000000;
inline constexpr uint64_t kDirectMapSize = 1ull << 30;

inline bool phys_is_mapped(uint64_t phys, uint64_t size) {
  return phys < kDirectMapSize && size <= kDirectMapSize - phys;
}
// boot.S maps the local APIC's page here (uncached).
inline constexpr uint64_t kLapicPhys = 0xfee00000;
inline constexpr uintptr_t kLapicVirt = kKernelVma + kDirectMapSize;

template <typename T>
T* phys_to_virt(uint64_t phys) {
  return reinterpret_cast<T*>(kKernelVma + phys);
}

}  // namespace rayos::arch

// Defined by boot.S.
extern "C" char kernel_stack_bottom[];
extern "C" char kernel_stack_top[];
