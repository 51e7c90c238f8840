#include "os/kernel/process.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/elf_image.h"
#include "os/core/syscall_abi.h"
#include "os/core/text_buffer.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/compositor.h"
#include "os/kernel/console.h"
#include "os/kernel/ipc.h"
#include "os/kernel/memory.h"
#include "os/kernel/metrics.h"
#include "os/kernel/panic.h"
#include "os/kernel/process_table.h"
#include "os/kernel/sched.h"
#include "os/kernel/syscalls.h"
#include "os/kernel/user_images.h"

namespace rayos::kernel {
namespace {

constexpr uint64_t kStackCanary = 0x5354414b'43414e59;           // "YNACKATS"
constexpr uint64_t kUserFlags = arch::kInterruptsEnabled | 0x2;  // bit 1 of RFLAGS is always 1

constinit Process table[kMaxProcesses]{};
constinit bool initialised = false;
constinit uint32_t next_pid = 1;

uint32_t slot_of(const Process& p) { return static_cast<uint32_t>(&p - table); }

uint64_t* stack_bottom(const Process& p) { return arch::phys_to_virt<uint64_t>(p.stack_phys); }

bool allocate_kernel_stack(Process& p) {
  uint64_t phys = 0;
  {
    arch::InterruptGuard guard;
    if (!frames().allocate_contiguous(kKernelStackPages, phys)) return false;
  }
  p.stack_phys = phys;
  *stack_bottom(p) = kStackCanary;
  return true;
}

// The stack of the task on the CPU, for panic backtraces.
StackBounds current_stack() {
  const Process& p = process_at(scheduler().current());
  if (p.stack_phys == 0)
    return StackBounds{reinterpret_cast<uintptr_t>(kernel_stack_bottom),
                       reinterpret_cast<uintptr_t>(kernel_stack_top)};
  uint64_t bottom = reinterpret_cast<uint64_t>(stack_bottom(p));
  return StackBounds{bottom, bottom + kKernelStackPages * FrameAllocator::kFrameSize};
}

[[noreturn]] void idle_main(uint64_t) {
  for (;;) arch::sti_hlt();  // the timer's return hook switches away when work arrives
}

void release_resources(Process& p) {
  close_queues_owned_by(p.pid);
  compositor_release_process(p.pid);
  // The planted bug: a clean exit "forgets" the page tables (a real leak of their frames).
  p.space.release(planted(kBugLeakOnExit) && p.status.kind == ExitKind::kExited);
  if (p.stack_phys != 0) {
    for (uint64_t i = 0; i < kKernelStackPages; ++i)
      free_frame(p.stack_phys + i * FrameAllocator::kFrameSize);
    p.stack_phys = 0;
  }
  uint64_t bytes = 0;
  uint64_t blocks = kernel_heap().live_blocks_with_tag(p.pid, &bytes);
  if (blocks != 0) emit<markers::kMemLeak>(uint64_t{p.pid}, blocks, bytes);
  p.released = true;
  p.waiting_for = WaitingFor::kNothing;
  Process& parent = process_at(p.parent);
  if (parent.waiting_for == WaitingFor::kChild &&
      (parent.waiting_arg == 0 || parent.waiting_arg == p.pid))
    wake(p.parent);
}

void emit_end(const Process& p) {
  switch (p.status.kind) {
    case ExitKind::kExited:
      ++counters().exited;
      return emit<markers::kProcExit>(uint64_t{p.pid}, p.status.code);
    case ExitKind::kCrashed:
      ++counters().crashed;
      return emit<markers::kProcCrashed>(uint64_t{p.pid}, p.status.reason);
    case ExitKind::kKilled:
      ++counters().killed;
      return emit<markers::kProcKilled>(uint64_t{p.pid}, p.status.reason);
  }
}

// A fault of ring-3 code: a first touch of a promised page is backed; anything else ends the
// process.
void on_user_fault(arch::InterruptFrame& frame) {
  Process& p = current_process();
  if (frame.vector == arch::kPageFault) {
    ++counters().page_faults;
    constexpr uint64_t kPresent = 1, kWrite = 2, kFetch = 16;
    if ((frame.error_code & kPresent) == 0) {
      switch (p.space.fault_in(arch::read_cr2(), (frame.error_code & kWrite) != 0,
                               (frame.error_code & kFetch) != 0)) {
        case FaultResult::kResolved:
          return;
        case FaultResult::kNoMemory:
          exit_current(ExitStatus{ExitKind::kKilled, frame.vector, "out_of_memory", 0});
        case FaultResult::kNotMapped:
          break;
      }
    }
  }
  exit_current(ExitStatus{ExitKind::kCrashed, frame.vector, arch::exception_name(frame.vector), 0});
}

int64_t spawn_error(StringView image, StringView reason, int64_t error) {
  emit<markers::kProcSpawnError>(image, reason);
  return error;
}

// Frees what a failed spawn had set up and gives the slot back.
int64_t abandon(Process& p, StringView reason, int64_t error) {
  arch::InterruptGuard guard;
  release_resources(p);
  p.in_use = false;
  return spawn_error(p.name, reason, error);
}

}  // namespace

Process& process_at(uint32_t slot) { return table[slot < kMaxProcesses ? slot : kBootSlot]; }

uint64_t kernel_stack_top(const Process& p) {
  return reinterpret_cast<uint64_t>(stack_bottom(p)) +
         kKernelStackPages * FrameAllocator::kFrameSize;
}

void check_kernel_stack(uint32_t slot) {
  const Process& p = process_at(slot);
  if (p.stack_phys != 0 && *stack_bottom(p) != kStackCanary)
    panic("KERNEL_STACK_OVERFLOW", TextBuffer().add("pid=").add(uint64_t{p.pid}).view());
}

void release_if_dead(uint32_t slot) {
  Process& p = process_at(slot);
  if (p.in_use && !p.released && scheduler().state(slot) == TaskState::kDead) release_resources(p);
}

void process_init() {
  if (initialised) return;
  memory_init();
  Process& boot = table[kBootSlot];
  boot = Process{};
  boot.in_use = true;
  boot.name = "kernel";
  Process& idle = table[kIdleSlot];
  idle = Process{};
  idle.in_use = true;
  idle.name = "idle";
  idle.pid = UINT32_MAX;
  if (!allocate_kernel_stack(idle)) panic("NO_MEMORY", "no_frames_for_the_idle_stack");
  idle.saved_rsp = prepare_kernel_task(kernel_stack_top(idle), idle_main, 0);
  arch::set_user_fault_handler(on_user_fault);
  syscalls_init();
  sched_start();
  set_panic_stack_provider(current_stack);
  initialised = true;
}

bool processes_ready() { return initialised; }

int64_t spawn(const SpawnRequest& request) {
  process_init();
  UserImage image;
  if (!find_user_image(request.image, image))
    return spawn_error(request.image, "no_such_image", abi::kErrNoEntry);
  ElfImage elf;
  TextBuffer error;
  if (!parse_elf(image.data, image.size, abi::kUserImageBase, abi::kUserImageLimit, elf, error,
                 planted(kBugElfPhdrPastEnd) ? uint32_t{kBugElfPhdrPastEnd} : 0u))
    return spawn_error(request.image, error.view(), abi::kErrInvalid);

  Process* p = nullptr;
  {
    arch::InterruptGuard guard;
    for (uint32_t slot = 0; slot < kMaxProcesses && p == nullptr; ++slot)
      if (!table[slot].in_use && scheduler().state(slot) == TaskState::kFree) p = &table[slot];
    if (p == nullptr) return spawn_error(request.image, "process_table_full", abi::kErrAgain);
    *p = Process{};
    p->in_use = true;
    p->user = true;
    p->pid = next_pid++;
    p->parent = scheduler().current();
    p->name = image.name;
    p->quota = request.quota;
  }
  if (!allocate_kernel_stack(*p))
    return abandon(*p, "no_memory_for_a_kernel_stack", abi::kErrNoMemory);
  if (!p->space.create()) return abandon(*p, "no_memory_for_page_tables", abi::kErrNoMemory);
  int64_t loaded = p->space.load(elf, image.data, p->quota.max_pages);
  if (loaded == abi::kErrQuota) return abandon(*p, "image_exceeds_the_page_quota", loaded);
  if (loaded != 0) return abandon(*p, "no_memory_for_the_image", loaded);

  arch::InterruptFrame start{};
  start.rip = elf.entry;
  start.cs = arch::kUserCode;
  start.rflags = kUserFlags;
  start.rsp = abi::kUserStackTop;
  start.ss = arch::kUserData;
  start.rdi = request.args[0];
  start.rsi = request.args[1];
  start.rdx = request.args[2];
  start.rcx = request.args[3];
  p->saved_rsp = prepare_user_task(kernel_stack_top(*p), start);

  arch::InterruptGuard guard;
  scheduler().add(slot_of(*p));
  ++counters().spawned;
  emit<markers::kProcSpawn>(uint64_t{p->pid}, p->name);
  return p->pid;
}

void exit_current(ExitStatus status) {
  arch::cli();
  uint32_t slot = scheduler().current();
  Process& p = process_at(slot);
  if (!p.user) panic("KERNEL_TASK_EXIT", p.name);
  p.status = status;
  p.status.cpu_ns = scheduler().cpu_ns(slot, uptime_ns());
  emit_end(p);
  scheduler().kill(slot);
  schedule();  // the dead task is never picked again; the next task frees it
  panic("DEAD_TASK_RESUMED", TextBuffer().add("pid=").add(uint64_t{p.pid}).view());
}

bool kill_process(uint32_t pid, StringView reason) {
  arch::InterruptGuard guard;
  Process* p = find_process(pid);
  if (p == nullptr || p->released || slot_of(*p) == scheduler().current()) return false;
  p->status =
      ExitStatus{ExitKind::kKilled, 0, reason, scheduler().cpu_ns(slot_of(*p), uptime_ns())};
  emit_end(*p);
  scheduler().kill(slot_of(*p));
  release_resources(*p);
  return true;
}

bool wait_child(uint32_t pid, uint64_t deadline_ns, uint32_t& which, ExitStatus& status) {
  arch::InterruptGuard guard;
  uint32_t me = scheduler().current();
  for (;;) {
    bool any = false;
    for (uint32_t slot = 0; slot < kMaxProcesses; ++slot) {
      Process& p = table[slot];
      if (!p.in_use || !p.user || p.parent != me || (pid != 0 && p.pid != pid)) continue;
      any = true;
      if (!p.released) continue;
      which = p.pid;
      status = p.status;
      p.in_use = false;
      scheduler().release(slot);
      return true;
    }
    if (!any || uptime_ns() >= deadline_ns) return false;
    wait_current(WaitingFor::kChild, pid, deadline_ns);
  }
}

size_t reap_children() {
  arch::InterruptGuard guard;
  uint32_t me = scheduler().current();
  size_t reaped = 0;
  for (uint32_t slot = 0; slot < kMaxProcesses; ++slot) {
    Process& p = table[slot];
    if (!p.in_use || !p.user || p.parent != me) continue;
    if (!p.released) kill_process(p.pid, "killed_by_kernel");
    p.in_use = false;
    scheduler().release(slot);
    ++reaped;
  }
  return reaped;
}

Process& current_process() {
  return sched_active() ? process_at(scheduler().current()) : table[kBootSlot];
}

Process* find_process(uint32_t pid) {
  for (Process& p : table)
    if (p.in_use && p.user && p.pid == pid) return &p;
  return nullptr;
}

size_t live_user_processes() {
  size_t n = 0;
  for (const Process& p : table) n += p.in_use && p.user && !p.released;
  return n;
}

uint64_t process_cpu_ns(uint32_t pid) {
  arch::InterruptGuard guard;
  Process* p = find_process(pid);
  if (p == nullptr) return 0;
  return p->released ? p->status.cpu_ns : scheduler().cpu_ns(slot_of(*p), uptime_ns());
}

}  // namespace rayos::kernel
