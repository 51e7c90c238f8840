#pragma once
// Bounded IPC queues between processes (and the kernel): each is an os/core IpcRing in the
// kernel heap, owned by its creator (freed when it closes it or ends), reachable by id from any
// process. Receivers block on an empty queue and senders on a full one unless they ask not to.
// A queue that fails its integrity check prints IPC:CORRUPT once, wakes its waiters and answers
// kErrCorrupt to everyone until it is closed. Every function returns >= 0 or an abi error.
#include <stddef.h>
#include <stdint.h>

#include "os/core/ipc_ring.h"

namespace rayos::kernel {

inline constexpr size_t kMaxQueues = 64;

// A queue of `capacity` messages owned by `owner_pid` (0: the kernel); returns its id.
int64_t ipc_create(uint32_t owner_pid, uint64_t capacity);
int64_t ipc_send(uint32_t id, const void* data, size_t size, bool block);
// Returns the message's length.
int64_t ipc_recv(uint32_t id, void* buffer, size_t capacity, bool block);
// Only the owner may close; waiters wake with kErrClosed.
int64_t ipc_close(uint32_t id, uint32_t requester_pid);
void close_queues_owned_by(uint32_t pid);
uint32_t queues_owned_by(uint32_t pid);
uint32_t live_queues();

// The ring behind a queue, for the in-guest test that damages one on purpose.
IpcRing* ipc_ring_for_test(uint32_t id);

}  // namespace rayos::kernel
