// IPC: traffic between processes, and a queue damaged in memory.
#include "os/core/ipc_ring.h"
#include "os/core/syscall_abi.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/ipc.h"
#include "os/workloads/selftest/test_support.h"
#include "os/workloads/selftest/tests.h"

namespace rayos::workloads::selftest {
namespace {

// 1000 round trips between two processes (2000 messages), each payload checked by both sides.
void ipc_1000_events(TestContext& context) {
  constexpr uint64_t kRoundTrips = 1000;
  MemorySnapshot before = memory_snapshot();
  int64_t to_pong = kernel::ipc_create(0, 8);
  int64_t to_ping = kernel::ipc_create(0, 8);
  if (!context.expect(to_pong > 0 && to_ping > 0, "no_queues")) return;
  uint64_t start_ns = kernel::uptime_ns();
  uint32_t pong = start(context, "pingpong", 1, static_cast<uint64_t>(to_pong),
                        static_cast<uint64_t>(to_ping), kRoundTrips);
  uint32_t ping = start(context, "pingpong", 0, static_cast<uint64_t>(to_ping),
                        static_cast<uint64_t>(to_pong), kRoundTrips);
  bool ok = expect_clean_exit(context, ping, "ping", 60000);
  ok = expect_clean_exit(context, pong, "pong", 60000) && ok;
  uint64_t elapsed = kernel::uptime_ns() - start_ns;
  kernel::ipc_close(static_cast<uint32_t>(to_pong), 0);
  kernel::ipc_close(static_cast<uint32_t>(to_ping), 0);
  if (ok)
    kernel::emit<markers::kPerfReport>(StringView("ipc_round_trip_us"),
                                       elapsed / kRoundTrips / 1000, StringView("us"));
  expect_no_leak(context, before, "after_the_traffic");
}

// Overwrites `needle` where it sits in the ring's memory (a stray write into a message).
bool damage(IpcRing* ring, StringView needle) {
  auto* bytes = reinterpret_cast<uint8_t*>(ring);
  size_t size = IpcRing::bytes_for(ring->capacity());
  for (size_t i = 0; i + needle.size() <= size; ++i) {
    if (!(StringView(reinterpret_cast<const char*>(bytes + i), needle.size()) == needle)) continue;
    bytes[i] ^= 0x20;
    return true;
  }
  return false;
}

// A message damaged in memory is refused (kErrCorrupt, IPC:CORRUPT), the queue stays refused,
// and a process blocked on a queue whose header is damaged wakes with kErrCorrupt instead of
// waiting forever. The kernel carries on.
void ipc_corrupted_ring_detected(TestContext& context) {
  MemorySnapshot before = memory_snapshot();
  int64_t queue = kernel::ipc_create(0, 4);
  int64_t watched = kernel::ipc_create(0, 4);
  if (!context.expect(queue > 0 && watched > 0, "no_queues")) return;
  auto id = static_cast<uint32_t>(queue);
  const StringView messages[] = {"msg-0", "msg-1", "msg-2"};
  for (StringView m : messages) kernel::ipc_send(id, m.data(), m.size(), false);
  context.expect(damage(kernel::ipc_ring_for_test(id), "msg-1"), "message_not_found_in_the_ring");
  char buffer[abi::kMaxMessage];
  context.expect(kernel::ipc_recv(id, buffer, sizeof buffer, false) == 5, "intact_message_lost");
  context.expect(kernel::ipc_recv(id, buffer, sizeof buffer, false) == abi::kErrCorrupt,
                 "damaged_message_delivered");
  context.expect(kernel::ipc_recv(id, buffer, sizeof buffer, false) == abi::kErrCorrupt,
                 "damaged_queue_used_again");
  context.expect(kernel::ipc_send(id, "x", 1, false) == abi::kErrCorrupt,
                 "damaged_queue_accepted_a_message");

  auto watched_id = static_cast<uint32_t>(watched);
  uint32_t receiver = start(context, "pingpong", 2, watched_id, uint64_t(abi::kErrCorrupt));
  for (int i = 0; i < 100; ++i) {  // until it waits in ipc_recv
    kernel::Process* p = kernel::find_process(receiver);
    if (p == nullptr || p->waiting_for == kernel::WaitingFor::kQueueRecv) break;
    sleep_ms(5);
  }
  reinterpret_cast<uint8_t*>(kernel::ipc_ring_for_test(watched_id))[0] ^= 0xff;  // the header
  context.expect(kernel::ipc_send(watched_id, "x", 1, false) == abi::kErrCorrupt,
                 "damaged_header_not_detected");
  expect_clean_exit(context, receiver, "blocked_receiver");
  kernel::ipc_close(id, 0);
  kernel::ipc_close(watched_id, 0);
  expect_no_leak(context, before, "after_closing_the_damaged_queues");
}

constexpr SelfTest kTests[] = {
    {"ipc_1000_events", ipc_1000_events},
    {"ipc_corrupted_ring_detected", ipc_corrupted_ring_detected},
};

}  // namespace

const TestGroup kIpcTests{kTests, sizeof kTests / sizeof kTests[0]};

}  // namespace rayos::workloads::selftest
