#pragma once
// The compositor service in the kernel: one os/core Compositor (surfaces, buffers from a bounded
// pool in the kernel heap, per-client event queues, drag and drop, damage-tracked blending into
// an in-memory framebuffer), the system calls that expose it to ring 3 (kSurface*, kBuffer*,
// kEvent*, kDrag*, kLatencyReport in os/core/syscall_abi.h), and the 60 Hz frame loop.
//
// Frames: compositor_run_until() runs in the calling kernel task (a scenario's boot task). It
// sleeps until each frame's deadline (start + k * 1 s / 60 of uptime, which follows the TSC; the
// timer tick wakes it), then with interrupts off — so that no system call changes a surface or
// frees a buffer mid-frame — routes drags, sends the seat's input events and blends the damaged
// rectangles. A deadline that has already passed by the time a frame finishes is dropped, not
// composed late: fps counts frames actually composed.
//
// Kernel workloads (a stress run measuring "the compositor path") need only this:
//
//   kernel::compositor_start(kernel::CompositorOptions{});        // once, before any client
//   int64_t pid = kernel::spawn_virtual_client(workload, 0);      // a ring-3 VirtualClient
//   kernel::compositor_run_until(kernel::uptime_ns() + 200'000'000);  // let it map its surface
//   int64_t ns = kernel::compositor_probe(pid, 1'000'000'000);
//   // ns >= 0: the client received the probe event ns nanoseconds after it was queued
//   // (measured by the client with the TSC and reported back); < 0: an abi error, see below.
//   ...
//   kernel::reap_children();  kernel::compositor_stop();
//
// Every function is for kernel tasks with interrupts enabled unless said otherwise.
#include <stddef.h>
#include <stdint.h>

#include "os/arch/x86_64/interrupts.h"
#include "os/core/compositor.h"
#include "os/core/compositor_stats.h"
#include "os/core/compositor_workload.h"
#include "os/kernel/process.h"

namespace rayos::kernel {

struct CompositorOptions {
  int32_t width = 640;
  int32_t height = 480;
  uint32_t max_buffers = compositor::kMaxBuffers;   // the pool: this many buffers at once
  uint64_t max_buffer_bytes = 8ull * 1024 * 1024;   // and at most this many pixel bytes
  uint32_t queue_capacity = compositor::kMaxQueue;  // events per client before overflow
  uint32_t input_hz = 30;  // synthetic input events per second sent to each client
  uint64_t seed = 1;       // the seat's pointer positions and event kinds
};

// Allocates the framebuffer and starts accepting clients; false if memory is short. Restarting
// a running compositor first stops it.
bool compositor_start(const CompositorOptions& options);
// Frees the framebuffer and everything clients still hold (call once the clients are gone).
void compositor_stop();
bool compositor_running();

// Spawns a ring-3 process registered as a compositor client before it runs; its pid, or a
// negative abi error (kErrInvalid: no compositor, kErrQuota: too many clients, or spawn()'s).
int64_t spawn_client_process(const SpawnRequest& request);
// Spawns a ring-3 VirtualClient (os/user/programs/client.cpp) running `workload`, registered as
// a compositor client; its pid, or a negative abi error from spawn(). `extra_pages` raises its
// page quota above the default (for leaking workloads).
int64_t spawn_virtual_client(const compositor::ClientWorkload& workload, uint64_t extra_pages);
// Asks a client to exit (a kQuit event); false if it is not a client or its queue is full (ask
// again later).
bool compositor_request_quit(uint32_t pid);

// Composes frames at 60 Hz until `deadline_ns` of uptime. `on_frame` (may be null) runs after
// every frame with interrupts on; the soak uses it for its per-second snapshots.
void compositor_run_until(uint64_t deadline_ns, void (*on_frame)(void*) = nullptr,
                          void* context = nullptr);

// Queues one probe event to client `pid` and composes frames until the client reports having
// received it or `timeout_ns` passes. Returns the delivery latency the client measured (ns from
// queueing to receipt), or kErrNoEntry (not a client), kErrAgain (its queue is full, or no
// report before the timeout). The latency also counts in the second's metrics.
int64_t compositor_probe(uint32_t pid, uint64_t timeout_ns);

// For the failure scenarios (os/workloads/failure.cpp). compositor_tables: what the compositor
// holds now (clients, surfaces, buffers and their bytes). compositor_is_client: whether `pid`
// is still registered (a dead client must not be). compositor_flood: queues `count` pointer
// events to `pid` at once, as a misbehaving input source would; returns how many its full queue
// refused, and sets `pending` to the queue's length afterwards.
compositor::Stats compositor_tables();
bool compositor_is_client(uint32_t pid);
uint32_t compositor_flood(uint32_t pid, uint32_t count, uint32_t& pending);

// The uptime of compositor_start(): frame k is due k/60 s after it. A metrics window that starts
// here ends on frame deadlines, so it holds at most 60 frames a second.
uint64_t compositor_epoch_ns();

// Counters since compositor_start(), for the soak's metrics and summary.
struct CompositorTotals {
  uint64_t frames_composed;
  uint64_t frames_dropped;  // deadlines that passed before the frame could be composed
  uint64_t pixels_blended;
  uint64_t events_queued;
  uint64_t events_delivered;
  uint64_t events_overflowed;  // refused by a full client queue (each client is told the count)
  uint64_t latency_reports;
  uint64_t drags_completed;
  uint64_t drags_cancelled;
};
CompositorTotals compositor_totals();

// Event-delivery latencies reported since the last call (ns); resets the window. The soak's
// metrics collector calls it once a second.
compositor::LatencySummary compositor_take_latency();

// Instrumentation for the perf scenario (os/workloads/perf.cpp). Every callback that is set
// runs with interrupts off and must not block; TSC values are arch::rdtsc().
struct CompositorObserver {
  using TimedCall = void (*)(void* context, uint32_t pid, uint64_t start_tsc, uint64_t end_tsc);
  void* context;
  // A buffer write (the pixels copied in) and a surface commit from `pid`, each timed from
  // entering its system call to leaving it. With `commit_slowdown_pct` > 0 each of the two
  // spins that share of its own duration longer (only while its callback is set).
  TimedCall buffer_write;
  TimedCall commit;
  // A latency report from `pid`: `latency_ns` as the client measured it, `now_tsc` its arrival.
  void (*report)(void* context, uint32_t pid, uint64_t latency_ns, uint64_t now_tsc);
  // One composed frame, from its start to the end of blending.
  void (*frame)(void* context, uint64_t start_tsc, uint64_t end_tsc);
  uint32_t commit_slowdown_pct;
};
// `observer` (null: none) must outlive its use; compositor_stop() does not clear it.
void compositor_observe(const CompositorObserver* observer);

// For integration scenarios (os/workloads/integration_*.cpp): the compositor itself, for windows
// the scenario owns as a kernel-side client (a pid outside the process table's range; call with
// interrupts off), and the composed frame (null when not running).
compositor::Compositor& compositor_core();
const uint32_t* compositor_framebuffer();
int32_t compositor_width();
int32_t compositor_height();

// Called from process release (interrupts off): frees the dead process's surfaces and buffers.
void compositor_release_process(uint32_t pid);

// The compositor's system calls (numbers kSurfaceCreate .. kLatencyReport); interrupts off.
int64_t compositor_syscall(Process& p, const arch::InterruptFrame& frame);

}  // namespace rayos::kernel
