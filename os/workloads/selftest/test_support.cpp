#include "os/workloads/selftest/test_support.h"

#include "os/arch/x86_64/cpu.h"
#include "os/kernel/clock.h"
#include "os/kernel/ipc.h"
#include "os/kernel/memory.h"
#include "os/kernel/sched.h"

namespace rayos::workloads::selftest {

MemorySnapshot memory_snapshot() {
  arch::InterruptGuard guard;
  const HeapStats& heap = kernel::kernel_heap().stats();
  return MemorySnapshot{kernel::frames().stats().used(), kernel::committed_pages(),
                        heap.live_blocks, heap.live_bytes, kernel::live_queues()};
}

void expect_none_unexpected(TestContext& context, uint64_t count, StringView first) {
  if (count != 0) context.fail().add(count).add("_unexpected_first_").add(first);
}

bool expect_no_leak(TestContext& context, const MemorySnapshot& before, StringView when) {
  MemorySnapshot now = memory_snapshot();
  if (now.frames_used != before.frames_used) {
    TextBuffer& reason = now.frames_used > before.frames_used ? context.fail().add("leaked_")
                                                              : context.fail().add("over_freed_");
    uint64_t pages = now.frames_used > before.frames_used ? now.frames_used - before.frames_used
                                                          : before.frames_used - now.frames_used;
    reason.add(pages).add("_pages_").add(when);
    return false;
  }
  if (now.heap_live_blocks != before.heap_live_blocks) {
    context.fail()
        .add("heap_blocks_")
        .add(before.heap_live_blocks)
        .add("_became_")
        .add(now.heap_live_blocks)
        .add("_")
        .add(when);
    return false;
  }
  if (now.committed_pages != before.committed_pages) {
    context.fail()
        .add("committed_pages_")
        .add(before.committed_pages)
        .add("_became_")
        .add(now.committed_pages)
        .add("_")
        .add(when);
    return false;
  }
  if (now.queues != before.queues) {
    context.fail()
        .add("ipc_queues_")
        .add(uint64_t{before.queues})
        .add("_became_")
        .add(uint64_t{now.queues})
        .add("_")
        .add(when);
    return false;
  }
  return true;
}

void describe(TextBuffer& out, const ExitStatus& status) {
  switch (status.kind) {
    case kernel::ExitKind::kExited:
      out.add("exited_").add(status.code);
      return;
    case kernel::ExitKind::kCrashed:
      out.add("crashed_").add(status.reason);
      return;
    case kernel::ExitKind::kKilled:
      out.add("killed_").add(status.reason);
      return;
  }
}

uint32_t start(TestContext& context, StringView image, uint64_t a0, uint64_t a1, uint64_t a2,
               uint64_t a3, const Quota& quota) {
  int64_t pid = kernel::spawn(kernel::SpawnRequest{image, {a0, a1, a2, a3}, quota});
  if (pid > 0) return static_cast<uint32_t>(pid);
  context.fail().add("spawn_").add(image).add("_failed_").add(static_cast<uint64_t>(-pid));
  return 0;
}

bool finish(TestContext& context, uint32_t pid, uint64_t timeout_ms, ExitStatus& status) {
  if (pid == 0) return false;
  uint32_t which = 0;
  if (kernel::wait_child(pid, kernel::uptime_ns() + timeout_ms * 1'000'000, which, status))
    return true;
  context.fail()
      .add("pid_")
      .add(uint64_t{pid})
      .add("_did_not_end_within_")
      .add(timeout_ms)
      .add("ms");
  return false;
}

bool expect_clean_exit(TestContext& context, uint32_t pid, StringView what, uint64_t timeout_ms) {
  ExitStatus status;
  if (!finish(context, pid, timeout_ms, status)) return false;
  if (status.kind == kernel::ExitKind::kExited && status.code == 0) return true;
  TextBuffer& reason = context.fail().add(what).add("_");
  describe(reason, status);
  return false;
}

void sleep_ms(uint64_t ms) { kernel::sleep_until(kernel::uptime_ns() + ms * 1'000'000); }

}  // namespace rayos::workloads::selftest
