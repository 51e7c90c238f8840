#pragma once
// The system-call ABI between rayos and its ring-3 programs, shared by both sides (os/user
// includes this header; nothing else of the kernel).
//
//   int $0x80 with rax = call number, arguments in rdi, rsi, rdx, r10, r8; the result comes back
//   in rax: >= 0 on success, a negative kErr* code on failure. Every other register is preserved.
//
// A process starts at its ELF entry point with rdi, rsi, rdx, rcx = its four start arguments,
// rsp 16-byte aligned at the top of its stack, and interrupts enabled.
#include <stdint.h>

namespace rayos::abi {

inline constexpr uint8_t kSyscallVector = 0x80;

enum Syscall : uint64_t {
  kExit = 0,       // exit(code): ends the process; never returns
  kYield = 1,      // yield(): gives up the rest of the time slice; returns 0
  kSleep = 2,      // sleep(ms): 0 <= ms <= kMaxSleepMs; returns 0 after at least ms
  kTime = 3,       // time(): uptime in nanoseconds
  kLog = 4,        // log(text, len): prints RAYOS_PROC:LOG:<pid>:<text>; len <= kMaxLogBytes
  kMemMap = 5,     // mem_map(pages): reserves zeroed, writable memory; returns its address
  kMemUnmap = 6,   // mem_unmap(addr, pages): returns a whole mem_map region
  kIpcCreate = 7,  // ipc_create(capacity): a queue of `capacity` messages; returns its id
  kIpcSend = 8,    // ipc_send(id, data, len, flags): returns 0
  kIpcRecv = 9,    // ipc_recv(id, buffer, capacity, flags): returns the message length
  kIpcClose = 10,  // ipc_close(id): only the creator may close; waiters get kErrClosed
  kGetPid = 11,    // getpid()
  // The compositor (os/kernel/compositor.h; records and packing in os/core/compositor_abi.h).
  // Only a process the compositor registered as a client may call these (else kErrPerm).
  kSurfaceCreate = 12,   // surface_create(): a new, empty surface on top; returns its id
  kSurfaceDestroy = 13,  // surface_destroy(surface)
  kBufferCreate = 14,    // buffer_create(width, height): ARGB pixels from the pool; returns its id
  kBufferWrite = 15,     // buffer_write(buffer, pixels, bytes): bytes == width * height * 4
  kBufferDestroy = 16,   // buffer_destroy(buffer): detaches it from any surface showing it
  kSurfaceAttach = 17,   // surface_attach(surface, buffer): shown from the next commit
  kSurfaceCommit = 18,   // surface_commit(surface, damage, position): pack_rect(x, y, w, h) of
                         // the changed part of the buffer; position: pack_rect(x, y, 0, 0)
  kEventWait = 19,       // event_wait(event, timeout_ms): 0 with one event, kErrAgain on timeout
  kDragStart = 20,       // drag_start(surface, payload): returns the drag id
  kDragFinish = 21,      // drag_finish(drag, accepted): the target's answer to kDragDrop
  kLatencyReport = 22,   // latency_report(seq, tsc_cycles): the delivery latency of event seq
  kSyscallCount = 23,
};

// Errors (negative results).
inline constexpr int64_t kErrNoSys = -1;     // no such system call
inline constexpr int64_t kErrFault = -2;     // a pointer argument is not mapped user memory
inline constexpr int64_t kErrInvalid = -3;   // an argument is out of range
inline constexpr int64_t kErrNoMemory = -4;  // the machine is out of memory
inline constexpr int64_t kErrQuota = -5;     // the process's quota is used up
inline constexpr int64_t kErrAgain = -6;     // would block (with kIpcNonBlocking)
inline constexpr int64_t kErrNoEntry = -7;   // no such queue or region
inline constexpr int64_t kErrClosed = -8;    // the queue was closed while waiting
inline constexpr int64_t kErrCorrupt = -9;   // the queue failed its integrity check
inline constexpr int64_t kErrPerm = -10;     // not the queue's creator
inline constexpr int64_t kErrTooBig = -11;   // message longer than kMaxMessage or the buffer

// ipc_send / ipc_recv flags.
inline constexpr uint64_t kIpcNonBlocking = 1;

// Limits.
inline constexpr uint64_t kMaxLogBytes = 96;
inline constexpr uint64_t kMaxSleepMs = 60000;
inline constexpr uint64_t kMaxMessage = 64;
inline constexpr uint64_t kMaxQueueCapacity = 256;
inline constexpr uint64_t kMaxMapPages = 1u << 16;

// The user address space (the lower canonical half).
inline constexpr uint64_t kPageSize = 4096;
inline constexpr uint64_t kUserImageBase = 0x400000;  // where user programs are linked
inline constexpr uint64_t kUserImageLimit = 0x40000000;
inline constexpr uint64_t kUserMapBase = 0x1000000000;  // mem_map regions from here
inline constexpr uint64_t kUserMapLimit = 0x7000000000;
inline constexpr uint64_t kUserStackTop = 0x7ffffff000;  // the stack grows down from here
inline constexpr uint64_t kUserStackPages = 16;          // an unmapped guard page lies below
inline constexpr uint64_t kUserEnd = 0x800000000000;     // first non-canonical address

}  // namespace rayos::abi
