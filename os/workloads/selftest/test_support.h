#pragma once
// What the in-guest tests share: memory snapshots for leak checks, and starting and finishing
// processes with failures that say what went wrong.
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/text_buffer.h"
#include "os/kernel/process.h"
#include "os/kernel/selftest.h"

namespace rayos::workloads::selftest {

using kernel::ExitStatus;
using kernel::Quota;
using kernel::SelfTest;
using kernel::TestContext;

// Everything a process or the kernel could fail to give back.
struct MemorySnapshot {
  uint64_t frames_used;
  uint64_t committed_pages;
  uint64_t heap_live_blocks;
  uint64_t heap_live_bytes;
  uint32_t queues;
};

MemorySnapshot memory_snapshot();
// Fails the test with `leaked_<n>_pages_<when>` (or heap blocks, committed pages, queues) if
// anything is held now that was not at `before`.
bool expect_no_leak(TestContext& context, const MemorySnapshot& before, StringView when);

// Fails with `<count>_unexpected_first_<first>` unless `count` is 0 (processes of a soak that
// ended in a way the soak did not ask for).
void expect_none_unexpected(TestContext& context, uint64_t count, StringView first);

// "exited_<code>", "crashed_<EXCEPTION>" or "killed_<reason>".
void describe(TextBuffer& out, const ExitStatus& status);

// Starts a process; on failure fails the test (`spawn_<image>_failed_<error>`) and returns 0.
uint32_t start(TestContext& context, StringView image, uint64_t a0 = 0, uint64_t a1 = 0,
               uint64_t a2 = 0, uint64_t a3 = 0, const Quota& quota = Quota{});
// Waits for `pid` for at most `timeout_ms`; fails the test if it does not end.
bool finish(TestContext& context, uint32_t pid, uint64_t timeout_ms, ExitStatus& status);
// finish(), and the process must have exited with code 0: otherwise fails with
// `<what>_<exited_N|crashed_X|killed_Y>`.
bool expect_clean_exit(TestContext& context, uint32_t pid, StringView what,
                       uint64_t timeout_ms = 5000);

// Sleeps the calling (boot) task.
void sleep_ms(uint64_t ms);

}  // namespace rayos::workloads::selftest
