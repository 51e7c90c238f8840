#pragma once
// System calls from ring 3: the ABI of os/core/syscall_abi.h as inline functions. Nothing of
// the kernel is linked into a program; this header is the whole interface.
#include <stddef.h>
#include <stdint.h>

#include "os/core/syscall_abi.h"

namespace rayos::user {

inline int64_t syscall(uint64_t number, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0,
                       uint64_t d = 0) {
  int64_t result;
  register uint64_t r10 asm("r10") = d;
  asm volatile("int $0x80"
               : "=a"(result)
               : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10)
               : "memory");
  return result;
}

[[noreturn]] inline void exit(uint64_t code) {
  syscall(abi::kExit, code);
  __builtin_unreachable();
}
inline void yield() { syscall(abi::kYield); }
inline int64_t sleep_ms(uint64_t ms) { return syscall(abi::kSleep, ms); }
inline uint64_t time_ns() { return static_cast<uint64_t>(syscall(abi::kTime)); }
inline int64_t log(const void* text, size_t size) {
  return syscall(abi::kLog, reinterpret_cast<uint64_t>(text), size);
}
inline int64_t mem_map(uint64_t pages) { return syscall(abi::kMemMap, pages); }
inline int64_t mem_unmap(uint64_t address, uint64_t pages) {
  return syscall(abi::kMemUnmap, address, pages);
}
inline int64_t ipc_create(uint64_t capacity) { return syscall(abi::kIpcCreate, capacity); }
inline int64_t ipc_send(uint64_t queue, const void* data, size_t size, uint64_t flags = 0) {
  return syscall(abi::kIpcSend, queue, reinterpret_cast<uint64_t>(data), size, flags);
}
inline int64_t ipc_recv(uint64_t queue, void* buffer, size_t capacity, uint64_t flags = 0) {
  return syscall(abi::kIpcRecv, queue, reinterpret_cast<uint64_t>(buffer), capacity, flags);
}
inline int64_t ipc_close(uint64_t queue) { return syscall(abi::kIpcClose, queue); }
inline int64_t getpid() { return syscall(abi::kGetPid); }

}  // namespace rayos::user
