#include "os/kernel/ipc.h"

#include "os/arch/x86_64/cpu.h"
#include "os/core/syscall_abi.h"
#include "os/kernel/bugs.h"
#include "os/kernel/console.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"

namespace rayos::kernel {
namespace {

struct Queue {
  uint32_t id;  // 0: the slot is free
  uint32_t owner;
  IpcRing* ring;
  bool corrupt;
  bool freed;  // only with the planted bug ipc_use_after_free: closed once, still reachable
};

constinit Queue queues[kMaxQueues]{};
constinit uint32_t generation = 0;

Queue* lookup(uint32_t id) {
  if (id == 0) return nullptr;
  Queue& q = queues[(id - 1) % kMaxQueues];
  return q.id == id ? &q : nullptr;
}

// Marks the queue corrupt (once) and wakes everyone waiting on it, so nobody waits forever on a
// queue that can no longer deliver.
int64_t corrupted(Queue& q) {
  if (!q.corrupt) {
    q.corrupt = true;
    StringView reason = "unknown";
    q.ring->check(&reason);
    emit<markers::kIpcCorrupt>(uint64_t{q.id}, reason);
    wake_waiters(WaitingFor::kQueueRecv, q.id);
    wake_waiters(WaitingFor::kQueueSend, q.id);
  }
  return abi::kErrCorrupt;
}

void destroy(Queue& q) {
  uint32_t id = q.id;
  if (!q.freed) kfree(q.ring);
  if (planted(kBugIpcUseAfterFree) && !q.freed) {
    // The queue stays reachable on its freed ring until its owner closes it again (or ends).
    q.freed = true;
    return;
  }
  q = Queue{};
  wake_waiters(WaitingFor::kQueueRecv, id);
  wake_waiters(WaitingFor::kQueueSend, id);
}

// The loop send and receive share: `attempt` pushes or pops (setting the size it moved, which
// is the result); when the ring is full or empty the caller waits for `mine` (if it may block),
// and a transfer wakes those waiting for `theirs`.
template <typename Attempt>
int64_t transfer(uint32_t id, bool block, WaitingFor mine, WaitingFor theirs, Attempt attempt) {
  arch::InterruptGuard guard;
  bool waited = false;
  for (;;) {
    Queue* q = lookup(id);
    if (q == nullptr) return waited ? abi::kErrClosed : abi::kErrNoEntry;
    if (q->corrupt) return abi::kErrCorrupt;
    size_t size = 0;
    switch (attempt(*q->ring, size)) {
      case IpcResult::kOk:
        wake_waiters(theirs, id);
        return static_cast<int64_t>(size);
      case IpcResult::kTooBig:
        return abi::kErrTooBig;
      case IpcResult::kCorrupt:
        return corrupted(*q);
      case IpcResult::kFull:
      case IpcResult::kEmpty:
        break;
    }
    if (!block) return abi::kErrAgain;
    wait_current(mine, id, UINT64_MAX);
    waited = true;
  }
}

}  // namespace

int64_t ipc_create(uint32_t owner_pid, uint64_t capacity) {
  size_t bytes = IpcRing::bytes_for(capacity);
  if (bytes == 0) return abi::kErrInvalid;
  void* memory = kmalloc(bytes, owner_pid);
  if (memory == nullptr) return abi::kErrNoMemory;
  arch::InterruptGuard guard;
  for (uint32_t i = 0; i < kMaxQueues; ++i) {
    if (queues[i].id != 0) continue;
    // Ids name a slot and a generation, so a stale id never reaches a newer queue.
    generation = generation + 1 == UINT32_MAX / kMaxQueues ? 0 : generation + 1;
    auto id = static_cast<uint32_t>(i + 1 + generation * kMaxQueues);
    queues[i] = Queue{id, owner_pid, IpcRing::create(memory, capacity), false, false};
    return queues[i].id;
  }
  kfree(memory);
  return abi::kErrAgain;
}

int64_t ipc_send(uint32_t id, const void* data, size_t size, bool block) {
  return transfer(id, block, WaitingFor::kQueueSend, WaitingFor::kQueueRecv,
                  [&](IpcRing& ring, size_t&) { return ring.push(data, size); });
}

int64_t ipc_recv(uint32_t id, void* buffer, size_t capacity, bool block) {
  return transfer(id, block, WaitingFor::kQueueRecv, WaitingFor::kQueueSend,
                  [&](IpcRing& ring, size_t& size) { return ring.pop(buffer, capacity, size); });
}

int64_t ipc_close(uint32_t id, uint32_t requester_pid) {
  arch::InterruptGuard guard;
  Queue* q = lookup(id);
  if (q == nullptr) return abi::kErrNoEntry;
  if (q->owner != requester_pid) return abi::kErrPerm;
  destroy(*q);
  return 0;
}

void close_queues_owned_by(uint32_t pid) {
  arch::InterruptGuard guard;
  for (Queue& q : queues)
    if (q.id != 0 && q.owner == pid) destroy(q);
}

uint32_t queues_owned_by(uint32_t pid) {
  arch::InterruptGuard guard;
  uint32_t n = 0;
  for (const Queue& q : queues) n += q.id != 0 && q.owner == pid;
  return n;
}

uint32_t live_queues() {
  arch::InterruptGuard guard;
  uint32_t n = 0;
  for (const Queue& q : queues) n += q.id != 0;
  return n;
}

IpcRing* ipc_ring_for_test(uint32_t id) {
  arch::InterruptGuard guard;
  Queue* q = lookup(id);
  return q == nullptr ? nullptr : q->ring;
}

}  // namespace rayos::kernel
