#include "os/kernel/syscalls.h"

#include "os/arch/x86_64/interrupts.h"
#include "os/core/syscall_abi.h"
#include "os/core/user_memory.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/console.h"
#include "os/kernel/ipc.h"
#include "os/kernel/metrics.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"

namespace rayos::kernel {
namespace {

int64_t sys_log(Process& p, uint64_t text, uint64_t size) {
  if (size > abi::kMaxLogBytes) return abi::kErrInvalid;
  char buffer[abi::kMaxLogBytes];
  if (!copy_from_user(p.space, buffer, text, size)) return abi::kErrFault;
  emit<markers::kProcLog>(uint64_t{p.pid}, StringView(buffer, size));
  return 0;
}

int64_t sys_sleep(uint64_t ms) {
  if (ms > abi::kMaxSleepMs) return abi::kErrInvalid;
  sleep_until(uptime_ns() + ms * 1'000'000);
  return 0;
}

int64_t sys_mem_map(Process& p, uint64_t pages) {
  if (pages == 0 || pages > abi::kMaxMapPages) return abi::kErrInvalid;
  uint64_t address = 0;
  int64_t result = p.space.map(pages, p.quota.max_pages, address);
  return result < 0 ? result : static_cast<int64_t>(address);
}

int64_t sys_ipc_create(Process& p, uint64_t capacity) {
  if (capacity == 0 || capacity > abi::kMaxQueueCapacity) return abi::kErrInvalid;
  if (queues_owned_by(p.pid) >= p.quota.max_queues) return abi::kErrQuota;
  return ipc_create(p.pid, capacity);
}

int64_t sys_ipc_send(Process& p, uint64_t id, uint64_t data, uint64_t size, uint64_t flags) {
  if ((flags & ~abi::kIpcNonBlocking) != 0 || id > UINT32_MAX) return abi::kErrInvalid;
  if (size > abi::kMaxMessage) return abi::kErrTooBig;
  uint8_t message[abi::kMaxMessage];
  if (!copy_from_user(p.space, message, data, size)) return abi::kErrFault;
  return ipc_send(static_cast<uint32_t>(id), message, size, (flags & abi::kIpcNonBlocking) == 0);
}

int64_t sys_ipc_recv(Process& p, uint64_t id, uint64_t buffer, uint64_t capacity, uint64_t flags) {
  if ((flags & ~abi::kIpcNonBlocking) != 0 || id > UINT32_MAX) return abi::kErrInvalid;
  size_t room = capacity < abi::kMaxMessage ? capacity : abi::kMaxMessage;
  // Checked before the message is taken off the queue, so a bad buffer loses nothing.
  if (!probe_user(p.space, buffer, room, true)) return abi::kErrFault;
  uint8_t message[abi::kMaxMessage];
  int64_t size =
      ipc_recv(static_cast<uint32_t>(id), message, room, (flags & abi::kIpcNonBlocking) == 0);
  if (size <= 0) return size;
  // The process may have changed its mappings while it waited.
  if (!copy_to_user(p.space, buffer, message, static_cast<size_t>(size))) return abi::kErrFault;
  return size;
}

}  // namespace

int64_t syscall_dispatch(Process& p, const arch::InterruptFrame& f) {
  switch (f.rax) {
    case abi::kExit:
      exit_current(ExitStatus{ExitKind::kExited, f.rdi, "exit", 0});
    case abi::kYield:
      schedule();
      return 0;
    case abi::kSleep:
      return sys_sleep(f.rdi);
    case abi::kTime:
      return static_cast<int64_t>(uptime_ns());
    case abi::kLog:
      return sys_log(p, f.rdi, f.rsi);
    case abi::kMemMap:
      return sys_mem_map(p, f.rdi);
    case abi::kMemUnmap:
      return p.space.unmap(f.rdi, f.rsi, true);
    case abi::kIpcCreate:
      return sys_ipc_create(p, f.rdi);
    case abi::kIpcSend:
      return sys_ipc_send(p, f.rdi, f.rsi, f.rdx, f.r10);
    case abi::kIpcRecv:
      return sys_ipc_recv(p, f.rdi, f.rsi, f.rdx, f.r10);
    case abi::kIpcClose:
      return f.rdi > UINT32_MAX ? abi::kErrNoEntry : ipc_close(static_cast<uint32_t>(f.rdi), p.pid);
    case abi::kGetPid:
      return p.pid;
    case abi::kSurfaceCreate... abi::kLatencyReport:
      return compositor_syscall(p, f);
    default:
      return abi::kErrNoSys;
  }
}

namespace {

// Interrupts are off throughout (an interrupt gate); calls that wait switch tasks and come back.
void on_syscall(arch::InterruptFrame& frame) {
  ++counters().syscalls;
  frame.rax = static_cast<uint64_t>(syscall_dispatch(current_process(), frame));
}

}  // namespace

void syscalls_init() { arch::set_syscall_handler(abi::kSyscallVector, on_syscall); }

}  // namespace rayos::kernel
