#include "os/kernel/compositor.h"

#include "os/arch/x86_64/cpu.h"
#include "os/core/prng.h"
#include "os/core/syscall_abi.h"
#include "os/core/user_memory.h"
#include "os/kernel/bugs.h"
#include "os/kernel/clock.h"
#include "os/kernel/memory.h"
#include "os/kernel/process_table.h"
#include "os/kernel/sched.h"

namespace rayos::kernel {
namespace {

using compositor::CompositorEvent;
using compositor::EventType;

constexpr uint32_t kFrameHz = 60;
constexpr uint64_t kMaxLatencyNs = 60'000'000'000;  // a report beyond this is not a latency

class KernelPixels final : public compositor::PixelMemory {
 public:
  constexpr KernelPixels() = default;
  void* allocate(size_t bytes, uint32_t owner) override { return kmalloc(bytes, owner); }
  void release(void* block) override { kfree(block); }
};

struct Probe {
  uint32_t pid;  // 0: none pending
  uint64_t seq;
  int64_t result;
  bool done;
};

constinit KernelPixels pixels;
constinit compositor::Compositor comp;
constinit CompositorOptions options{};
constinit compositor::FrameClock clock(0, kFrameHz);
constinit uint64_t epoch = 0;
constinit uint64_t next_frame = 1;
constinit uint64_t seat_state = 0;
constinit compositor::LatencyWindow latencies(0x6c6174656e6379);
constinit CompositorTotals totals{};
constinit Probe probe{};
constinit const CompositorObserver* observer = nullptr;

// Wakes every client blocked in kEventWait that has something to read now.
void wake_readers() {
  for (uint32_t slot = 0; slot < kMaxProcesses; ++slot) {
    const Process& p = process_at(slot);
    if (p.in_use && p.waiting_for == WaitingFor::kCompositorEvent && comp.pending_events(p.pid))
      wake(slot);
  }
}

uint64_t seat_below(uint64_t bound) { return bound == 0 ? 0 : splitmix64(seat_state) % bound; }

// The seat: `input_hz` events per second to each client's top surface, spread evenly over the
// frames (frame k sends floor(k * hz / 60) - floor((k - 1) * hz / 60)); pointer positions and
// event kinds from the seeded stream.
void send_input(uint64_t frame) {
  uint64_t count = frame * options.input_hz / kFrameHz - (frame - 1) * options.input_hz / kFrameHz;
  if (count == 0) return;
  for (uint32_t i = 0;; ++i) {
    uint32_t pid = comp.client_at(i);
    if (pid == 0) break;
    compositor::Rect where{};
    uint32_t surface = comp.top_surface_of(pid, where);
    if (surface == 0) continue;
    for (uint64_t n = 0; n < count; ++n) {
      uint64_t kind = seat_below(100);
      EventType type = kind < 60   ? EventType::kPointerMotion
                       : kind < 85 ? EventType::kPointerButton
                                   : EventType::kKey;
      CompositorEvent event{type,
                            surface,
                            static_cast<int32_t>(seat_below(uint64_t(where.w))),
                            static_cast<int32_t>(seat_below(uint64_t(where.h))),
                            0,
                            arch::rdtsc(),
                            seat_below(type == EventType::kKey ? 128 : 3),
                            seat_below(2),
                            0};
      comp.queue_event(pid, event);
    }
  }
}

// Drops every pending drag at the centre of a randomly chosen client's top surface.
void route_drags() {
  compositor::Stats s = comp.stats();
  if (s.drags == 0 || s.clients == 0) return;
  compositor::Rect where{};
  if (comp.top_surface_of(comp.client_at(static_cast<uint32_t>(seat_below(s.clients))), where) == 0)
    where = compositor::Rect{-1, -1, 0, 0};  // nobody there: the drags are cancelled
  comp.route_drags(where.x + where.w / 2, where.y + where.h / 2, arch::rdtsc());
}

// One frame, interrupts off: no system call can change a surface or free a buffer meanwhile.
void frame(uint64_t number) {
  arch::InterruptGuard guard;
  uint64_t start = arch::rdtsc();
  route_drags();
  send_input(number);
  compositor::FrameResult result = comp.compose();
  ++totals.frames_composed;
  totals.pixels_blended += result.pixels_blended;
  wake_readers();
  if (observer != nullptr && observer->frame != nullptr)
    observer->frame(observer->context, start, arch::rdtsc());
}

// Moves `next_frame` past deadlines that have already gone by (dropped frames).
void catch_up(uint64_t now) {
  uint64_t dropped = 0;
  next_frame = clock.next(next_frame - 1, now, dropped);
  totals.frames_dropped += dropped;
}

int64_t sys_buffer_write(Process& p, uint64_t buffer, uint64_t source, uint64_t bytes) {
  if (buffer > UINT32_MAX) return abi::kErrNoEntry;
  size_t size = 0;
  int64_t error = 0;
  uint32_t* target = comp.buffer_pixels(p.pid, static_cast<uint32_t>(buffer), size, error);
  if (target == nullptr) return error;
  if (bytes != size) return abi::kErrInvalid;
  return copy_from_user(p.space, target, source, size) ? 0 : abi::kErrFault;
}

int64_t sys_buffer_create(Process& p, uint64_t width, uint64_t height) {
  if (width > uint64_t(compositor::kMaxSide) || height > uint64_t(compositor::kMaxSide))
    return comp.is_client(p.pid) ? abi::kErrInvalid : abi::kErrPerm;
  return comp.create_buffer(p.pid, static_cast<int32_t>(width), static_cast<int32_t>(height));
}

int64_t sys_commit(Process& p, uint64_t surface, uint64_t damage, uint64_t position) {
  if (surface > UINT32_MAX) return abi::kErrNoEntry;
  if (abi::rect_w(position) != 0 || abi::rect_h(position) != 0) return abi::kErrInvalid;
  compositor::Rect d{abi::rect_x(damage), abi::rect_y(damage),
                     static_cast<int32_t>(abi::rect_w(damage)),
                     static_cast<int32_t>(abi::rect_h(damage))};
  return comp.commit(p.pid, static_cast<uint32_t>(surface), d, abi::rect_x(position),
                     abi::rect_y(position));
}

// A buffer write or commit, timed for the observer when it asks, and made slower by its
// commit_slowdown_pct: a spin for that share of the call's own duration, inside the timing.
template <typename Call>
int64_t timed(CompositorObserver::TimedCall CompositorObserver::*which, uint32_t pid, Call call) {
  const CompositorObserver* o = observer;
  if (o == nullptr || o->*which == nullptr) return call();
  uint64_t start = arch::rdtsc();
  int64_t result = call();
  uint64_t extra = (arch::rdtsc() - start) * o->commit_slowdown_pct / 100;
  for (uint64_t spin_start = arch::rdtsc(); arch::rdtsc() - spin_start < extra;) arch::pause();
  (o->*which)(o->context, pid, start, arch::rdtsc());
  return result;
}

int64_t sys_event_wait(Process& p, uint64_t event, uint64_t timeout_ms) {
  if (!comp.is_client(p.pid)) return abi::kErrPerm;
  if (timeout_ms > abi::kMaxSleepMs) return abi::kErrInvalid;
  // Checked before an event is taken off the queue, so a bad pointer loses nothing.
  if (!probe_user(p.space, event, sizeof(CompositorEvent), true)) return abi::kErrFault;
  uint64_t deadline = uptime_ns() + timeout_ms * 1'000'000;
  for (;;) {
    CompositorEvent e{};
    if (comp.next_event(p.pid, e))
      return copy_to_user(p.space, event, &e, sizeof e) ? 0 : abi::kErrFault;
    if (!comp.is_client(p.pid)) return abi::kErrPerm;
    if (uptime_ns() >= deadline) return abi::kErrAgain;
    wait_current(WaitingFor::kCompositorEvent, p.pid, deadline);
  }
}

int64_t sys_latency_report(Process& p, uint64_t seq, uint64_t cycles) {
  if (!comp.is_client(p.pid)) return abi::kErrPerm;
  TscScale scale = tsc_scale();
  if (!scale.valid()) return abi::kErrAgain;
  uint64_t ns = scale.to_ns(cycles);
  if (seq == 0 || ns > kMaxLatencyNs) return abi::kErrInvalid;
  latencies.add(ns);
  ++totals.latency_reports;
  if (observer != nullptr && observer->report != nullptr)
    observer->report(observer->context, p.pid, ns, arch::rdtsc());
  if (probe.pid == p.pid && probe.seq == seq && !probe.done) {
    probe.result = static_cast<int64_t>(ns);
    probe.done = true;
  }
  return 0;
}

int64_t after_drag_change(int64_t result) {
  wake_readers();
  return result;
}

}  // namespace

bool compositor_start(const CompositorOptions& o) {
  process_init();
  wait_for_tsc_calibration();
  arch::InterruptGuard guard;
  compositor::Config config{o.width,
                            o.height,
                            o.max_buffers,
                            o.max_buffer_bytes,
                            o.queue_capacity,
                            planted(kBugSyscallMissingBoundsCheck),
                            planted(kBugCompositorStaleAttach)};
  if (!comp.start(config, pixels)) return false;
  options = o;
  epoch = uptime_ns();
  clock = compositor::FrameClock(epoch, kFrameHz);
  next_frame = 1;
  seat_state = o.seed;
  latencies.take();
  totals = CompositorTotals{};
  probe = Probe{};
  return true;
}

void compositor_stop() {
  arch::InterruptGuard guard;
  comp.stop();
}

bool compositor_running() { return comp.running(); }

int64_t spawn_client_process(const SpawnRequest& request) {
  // Registered before it can run: its first system call already finds it a client.
  arch::InterruptGuard guard;
  if (!comp.running()) return abi::kErrInvalid;
  if (comp.stats().clients >= compositor::kMaxClients) return abi::kErrQuota;
  int64_t pid = spawn(request);
  if (pid > 0) comp.add_client(static_cast<uint32_t>(pid));
  return pid;
}

int64_t spawn_virtual_client(const compositor::ClientWorkload& workload, uint64_t extra_pages) {
  compositor::PackedWorkload packed = compositor::pack(workload);
  Quota quota;
  quota.max_pages += extra_pages;
  quota.cpu_limit_ms = 0;  // a client lives as long as its run
  return spawn_client_process(SpawnRequest{
      "client", {packed.args[0], packed.args[1], packed.args[2], packed.args[3]}, quota});
}

bool compositor_request_quit(uint32_t pid) {
  arch::InterruptGuard guard;
  if (!comp.is_client(pid)) return false;
  CompositorEvent quit{EventType::kQuit, 0, 0, 0, 0, arch::rdtsc(), 0, 0, 0};
  // A full queue refuses it like any event: the caller asks again once the client has read some.
  bool queued = comp.queue_event(pid, quit) != 0;
  wake_readers();
  return queued;
}

void compositor_run_until(uint64_t deadline_ns, void (*on_frame)(void*), void* context) {
  for (;;) {
    catch_up(uptime_ns());
    uint64_t due = clock.deadline(next_frame);
    if (due >= deadline_ns || !comp.running()) {
      if (uptime_ns() < deadline_ns) sleep_until(deadline_ns);
      return;
    }
    if (uptime_ns() < due) sleep_until(due);
    frame(next_frame);
    ++next_frame;
    if (on_frame != nullptr) on_frame(context);
  }
}

int64_t compositor_probe(uint32_t pid, uint64_t timeout_ns) {
  uint64_t end = uptime_ns() + timeout_ns;
  {
    arch::InterruptGuard guard;
    if (!comp.is_client(pid)) return abi::kErrNoEntry;
    CompositorEvent event{EventType::kProbe, 0, 0, 0, 0, arch::rdtsc(), 0, 0, 0};
    uint64_t seq = comp.queue_event(pid, event);
    if (seq == 0) return abi::kErrAgain;
    probe = Probe{pid, seq, abi::kErrAgain, false};
    wake_readers();
  }
  constexpr uint64_t kStepNs = 1'000'000'000 / kFrameHz;
  for (uint64_t now = uptime_ns(); now < end && !probe.done; now = uptime_ns())
    compositor_run_until(now + kStepNs < end ? now + kStepNs : end);
  arch::InterruptGuard guard;
  int64_t result = probe.done ? probe.result : abi::kErrAgain;
  probe = Probe{};
  return result;
}

compositor::Stats compositor_tables() {
  arch::InterruptGuard guard;
  return comp.stats();
}

bool compositor_is_client(uint32_t pid) {
  arch::InterruptGuard guard;
  return comp.is_client(pid);
}

uint32_t compositor_flood(uint32_t pid, uint32_t count, uint32_t& pending) {
  arch::InterruptGuard guard;
  uint32_t refused = 0;
  for (uint32_t i = 0; i < count; ++i) {
    CompositorEvent motion{EventType::kPointerMotion, 0, 0, 0, 0, arch::rdtsc(), 0, 0, 0};
    if (comp.queue_event(pid, motion) == 0) ++refused;
  }
  pending = comp.pending_events(pid);
  wake_readers();
  return refused;
}

uint64_t compositor_epoch_ns() { return epoch; }

void compositor_observe(const CompositorObserver* o) {
  arch::InterruptGuard guard;
  observer = o;
}

CompositorTotals compositor_totals() {
  arch::InterruptGuard guard;
  compositor::Stats s = comp.stats();
  CompositorTotals t = totals;
  t.events_queued = s.events_queued;
  t.events_delivered = s.events_delivered;
  t.events_overflowed = s.events_overflowed;
  t.drags_completed = s.drags_completed;
  t.drags_cancelled = s.drags_cancelled;
  return t;
}

compositor::LatencySummary compositor_take_latency() {
  arch::InterruptGuard guard;
  return latencies.take();
}

compositor::Compositor& compositor_core() { return comp; }
const uint32_t* compositor_framebuffer() { return comp.running() ? comp.framebuffer() : nullptr; }
int32_t compositor_width() { return comp.width(); }
int32_t compositor_height() { return comp.height(); }

void compositor_release_process(uint32_t pid) {
  if (probe.pid == pid) probe.done = true;  // its result stays kErrAgain
  comp.remove_client(pid, arch::rdtsc());
  wake_readers();
}

int64_t compositor_syscall(Process& p, const arch::InterruptFrame& f) {
  constexpr uint64_t kMaxId = UINT32_MAX;
  switch (f.rax) {
    case abi::kSurfaceCreate:
      return comp.create_surface(p.pid);
    case abi::kSurfaceDestroy:
      return f.rdi > kMaxId ? abi::kErrNoEntry
                            : comp.destroy_surface(p.pid, static_cast<uint32_t>(f.rdi));
    case abi::kBufferCreate:
      return sys_buffer_create(p, f.rdi, f.rsi);
    case abi::kBufferWrite:
      return timed(&CompositorObserver::buffer_write, p.pid,
                   [&] { return sys_buffer_write(p, f.rdi, f.rsi, f.rdx); });
    case abi::kBufferDestroy:
      return f.rdi > kMaxId ? abi::kErrNoEntry
                            : comp.destroy_buffer(p.pid, static_cast<uint32_t>(f.rdi));
    case abi::kSurfaceAttach:
      if (f.rdi > kMaxId || f.rsi > kMaxId) return abi::kErrNoEntry;
      return comp.attach(p.pid, static_cast<uint32_t>(f.rdi), static_cast<uint32_t>(f.rsi));
    case abi::kSurfaceCommit:
      return timed(&CompositorObserver::commit, p.pid,
                   [&] { return sys_commit(p, f.rdi, f.rsi, f.rdx); });
    case abi::kEventWait:
      return sys_event_wait(p, f.rdi, f.rsi);
    case abi::kDragStart:
      if (f.rdi > kMaxId) return abi::kErrNoEntry;
      return comp.start_drag(p.pid, static_cast<uint32_t>(f.rdi), f.rsi);
    case abi::kDragFinish:
      if (f.rdi > kMaxId) return abi::kErrNoEntry;
      if (f.rsi > 1) return abi::kErrInvalid;
      return after_drag_change(
          comp.finish_drag(p.pid, static_cast<uint32_t>(f.rdi), f.rsi == 1, arch::rdtsc()));
    case abi::kLatencyReport:
      return sys_latency_report(p, f.rdi, f.rsi);
    default:
      return abi::kErrNoSys;
  }
}

}  // namespace rayos::kernel
