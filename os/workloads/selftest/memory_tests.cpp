// Memory: the kernel heap's own checks, ELF images, quotas and running out of memory.
#include "os/arch/x86_64/cpu.h"
#include "os/core/elf_image.h"
#include "os/core/syscall_abi.h"
#include "os/kernel/clock.h"
#include "os/kernel/ipc.h"
#include "os/kernel/memory.h"
#include "os/kernel/user_images.h"
#include "os/workloads/selftest/test_support.h"
#include "os/workloads/selftest/tests.h"

namespace rayos::workloads::selftest {
namespace {

HeapStats heap_stats() {
  arch::InterruptGuard guard;
  return kernel::kernel_heap().stats();
}

// An overflow into a block's trailing canary and a double free are caught by kfree (MEM:ERROR),
// counted, and survived.
void kernel_heap_detects_misuse(TestContext& context) {
  MemorySnapshot before = memory_snapshot();
  HeapStats start = heap_stats();
  auto* block = static_cast<uint8_t*>(kernel::kmalloc(24, kernel::kKernelTag));
  if (!context.expect(block != nullptr, "kmalloc_of_24_bytes_failed")) return;
  block[24] = 0xff;  // one byte past the end
  kernel::kfree(block);
  context.expect(heap_stats().overflows == start.overflows + 1,
                 "overflow_into_canary_not_detected");
  auto* other = kernel::kmalloc(40, kernel::kKernelTag);
  auto* keep = kernel::kmalloc(40, kernel::kKernelTag);  // keeps the slab, so the header stays
  kernel::kfree(other);
  kernel::kfree(other);
  context.expect(heap_stats().rejected_frees == start.rejected_frees + 1,
                 "double_free_not_refused");
  kernel::kfree(keep);
  expect_no_leak(context, before, "after_the_misuse");
}

// The loader refuses a damaged image with a reason, and spawn refuses what does not exist.
void bad_elf_image_rejected(TestContext& context) {
  kernel::UserImage image;
  if (!context.expect(kernel::find_user_image("counter", image), "no_counter_image")) return;
  auto* copy = static_cast<uint8_t*>(kernel::kmalloc(image.size, kernel::kKernelTag));
  if (!context.expect(copy != nullptr, "no_memory_for_a_copy")) return;
  __builtin_memcpy(copy, image.data, image.size);
  ElfImage elf;
  TextBuffer error;
  context.expect(parse_elf(copy, image.size, abi::kUserImageBase, abi::kUserImageLimit, elf, error),
                 "the_intact_copy_was_refused");
  copy[18] = 0x28;  // e_machine: ARM
  error.clear();
  if (parse_elf(copy, image.size, abi::kUserImageBase, abi::kUserImageLimit, elf, error))
    context.fail().add("an_ARM_image_was_accepted");
  else if (!(error.view() == "not_x86_64(e_machine)"))
    context.fail().add("wrong_reason=").add(error.view());
  copy[18] = 62;
  error.clear();
  if (parse_elf(copy, 100, abi::kUserImageBase, abi::kUserImageLimit, elf, error))
    context.fail().add("a_truncated_image_was_accepted");
  kernel::kfree(copy);
  int64_t pid = kernel::spawn(kernel::SpawnRequest{"no_such_program", {}, {}});
  if (pid != abi::kErrNoEntry)
    context.fail().add("spawn_of_a_missing_image_gave_").add(static_cast<uint64_t>(pid));
}

// A process that maps memory beyond its page quota gets kErrQuota, not the machine's memory.
void memory_quota_enforced(TestContext& context) {
  MemorySnapshot before = memory_snapshot();
  Quota quota;
  quota.max_pages = 64;
  uint32_t pid = start(context, "hog", uint64_t(-abi::kErrQuota), 1024, 0, 0, quota);
  expect_clean_exit(context, pid, "hog");
  expect_no_leak(context, before, "after_the_hog");
}

// A process takes all the memory there is: it gets kErrNoMemory; while it holds it, the kernel
// refuses a new process and a large allocation, and does not fall over; afterwards all works.
void out_of_memory_graceful(TestContext& context) {
  MemorySnapshot before = memory_snapshot();
  int64_t notify = kernel::ipc_create(0, 1);
  int64_t release = kernel::ipc_create(0, 1);
  if (!context.expect(notify > 0 && release > 0, "no_queues")) return;
  Quota unlimited;
  unlimited.max_pages = UINT64_MAX / 2;
  unlimited.cpu_limit_ms = 60000;
  // At most 8 chunks and then one region per halving down to one page: with the image and the
  // stack that stays within a process's 32 regions for any memory size the direct map allows.
  uint64_t chunk = 1;
  while (chunk * 8 < kernel::frames().stats().free) chunk *= 2;
  uint32_t pid = start(context, "hog", uint64_t(-abi::kErrNoMemory), chunk,
                       static_cast<uint64_t>(notify), static_cast<uint64_t>(release), unlimited);
  int64_t error = 0;
  uint64_t deadline = kernel::uptime_ns() + 30'000'000'000;
  while (pid != 0) {
    int64_t got = kernel::ipc_recv(static_cast<uint32_t>(notify), &error, sizeof error, false);
    if (got == static_cast<int64_t>(sizeof error)) break;
    ExitStatus early;
    uint32_t which;
    if (kernel::wait_child(pid, kernel::uptime_ns() + 20'000'000, which, early)) {
      describe(context.fail().add("hog_ended_before_it_filled_memory_"), early);
      pid = 0;
    } else if (kernel::uptime_ns() > deadline) {
      context.fail().add("hog_did_not_fill_memory_within_30s");
      break;
    }
  }
  if (pid != 0 && !context.failed()) {
    if (error != abi::kErrNoMemory)
      context.fail().add("hog_stopped_with_error_").add(static_cast<uint64_t>(-error));
    int64_t refused = kernel::spawn(kernel::SpawnRequest{"counter", {10}, {}});
    if (refused != abi::kErrNoMemory) {
      context.fail().add("spawn_while_out_of_memory_gave_").add(static_cast<uint64_t>(refused));
      if (refused > 0) expect_clean_exit(context, static_cast<uint32_t>(refused), "counter");
    }
    void* big = kernel::kmalloc(2u << 20, kernel::kKernelTag);
    if (big != nullptr) {
      context.fail().add("kmalloc_of_2MiB_succeeded_while_out_of_memory");
      kernel::kfree(big);
    }
    char go = 1;
    kernel::ipc_send(static_cast<uint32_t>(release), &go, 1, true);
    expect_clean_exit(context, pid, "hog", 30000);
    expect_clean_exit(context, start(context, "counter", 100), "counter_after_the_hog");
  }
  kernel::ipc_close(static_cast<uint32_t>(notify), 0);
  kernel::ipc_close(static_cast<uint32_t>(release), 0);
  expect_no_leak(context, before, "after_running_out_of_memory");
}

constexpr SelfTest kTests[] = {
    {"kernel_heap_detects_misuse", kernel_heap_detects_misuse},
    {"bad_elf_image_rejected", bad_elf_image_rejected},
    {"memory_quota_enforced", memory_quota_enforced},
    {"out_of_memory_graceful", out_of_memory_graceful},
};

}  // namespace

const TestGroup kMemoryTests{kTests, sizeof kTests / sizeof kTests[0]};

}  // namespace rayos::workloads::selftest
