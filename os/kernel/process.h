#pragma once
// Processes: ring-3 programs loaded from the ELF images linked into the kernel, each with its own
// page tables and kernel stack, plus two kernel tasks — the boot flow that runs the scenario
// (slot 0, pid 0) and the idle task (slot 1). A process ends by exit(), by a CPU exception
// (PROC:CRASHED), or killed by the kernel (CPU-time limit, no memory for a page it was promised,
// or an explicit kill); in every case everything it held is freed — its pages, page tables,
// kernel stack and IPC queues — and its parent collects the exit status with wait_child().
#include <stddef.h>
#include <stdint.h>

#include "os/arch/x86_64/interrupts.h"
#include "os/core/scheduler.h"
#include "os/core/string_view.h"
#include "os/kernel/address_space.h"

namespace rayos::kernel {

inline constexpr uint32_t kBootSlot = 0;
inline constexpr uint32_t kIdleSlot = 1;
inline constexpr size_t kMaxProcesses = Scheduler::kMaxTasks;

struct Quota {
  uint64_t max_pages = 1024;      // user pages: image, stack and mem_map regions
  uint32_t max_queues = 4;        // IPC queues it may create
  uint64_t cpu_limit_ms = 10000;  // killed beyond this much CPU time; 0: no limit
};

enum class ExitKind : uint8_t { kExited, kCrashed, kKilled };

struct ExitStatus {
  ExitKind kind = ExitKind::kExited;
  uint64_t code = 0;  // exit(code), or the exception vector
  StringView reason;  // exception name or kill reason
  uint64_t cpu_ns = 0;
};

enum class WaitingFor : uint8_t { kNothing, kChild, kQueueRecv, kQueueSend, kCompositorEvent };

struct Process {
  bool in_use;
  bool user;
  uint32_t pid;
  uint32_t parent;  // slot
  StringView name;
  uint64_t stack_phys;  // kernel stack: kKernelStackPages frames
  uint64_t saved_rsp;
  AddressSpace space;
  Quota quota;
  WaitingFor waiting_for;
  uint32_t waiting_arg;  // the pid or queue id waited for (0 for any child)
  bool kill_requested;
  StringView kill_reason;
  bool released;  // dead and everything freed: the parent may collect it
  ExitStatus status;
};

struct SpawnRequest {
  StringView image;
  uint64_t args[4] = {};
  Quota quota{};
};

// Sets up memory, the process table, the idle task and the scheduler, and makes the caller the
// boot task. Idempotent.
void process_init();
bool processes_ready();

// A new process; its pid (>= 1), or a negative abi error: kErrNoEntry (no such image),
// kErrInvalid (bad ELF), kErrQuota, kErrNoMemory, kErrAgain (process table full). Prints
// PROC:SPAWN, or PROC:SPAWN_ERROR with the reason.
int64_t spawn(const SpawnRequest& request);

// Waits for the child `pid` (0: any child of the caller) to end and be freed, until the
// deadline (uptime ns; UINT64_MAX: forever). True with its status and pid; false on timeout or
// if no such child exists.
bool wait_child(uint32_t pid, uint64_t deadline_ns, uint32_t& which, ExitStatus& status);
// Ends a process that is not the caller (PROC:KILLED:<pid>:<reason>) and frees it at once.
bool kill_process(uint32_t pid, StringView reason);
// Kills and collects every child of the caller; returns how many there were.
size_t reap_children();

// The process on the CPU (the boot task when called from a scenario).
Process& current_process();
Process* find_process(uint32_t pid);
// Live processes, kernel tasks excluded.
size_t live_user_processes();
// CPU time of a process so far.
uint64_t process_cpu_ns(uint32_t pid);

// Ends the calling process (exit system call, crash, kill); never returns.
[[noreturn]] void exit_current(ExitStatus status);

}  // namespace rayos::kernel
