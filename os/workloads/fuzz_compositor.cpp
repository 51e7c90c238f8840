// compositor: the compositor's protocol (os/kernel/compositor.cpp and os/core/compositor.cpp) as
// its clients speak it — surfaces created, given buffers, committed with damage at a position and
// destroyed; buffers created, written and destroyed; drags started, routed by a frame and
// finished; events queued and waited for; a client leaving (its process ending) and joining again
// — decoded from the input and made against the real kernel compositor, with Compositor::check()
// after every request: a broken invariant is a crash whose kind names it (COMPOSITOR_<WHAT>).
//
// Three clients are registered and a fourth pid is not (until it joins): each is a Process with a
// window of its own in a real address space, so buffer_write and event_wait go through the same
// system-call code and page-table checks as from ring 3 (kernel::compositor_syscall). Every input
// starts from a freshly started compositor on a small screen and ends with it stopped; the memory
// held before and after must match (FUZZ_LEAK otherwise).
//
// Encoding: one byte per request — its low 4 bits the request (modulo 13, below), bits 4-5 the
// client (3: the pid that is not registered) — then its argument bytes; bytes missing at the end
// of the input read as 0. Ids are the bytes as they are (a client's ids are small numbers).
//   0 surface_create            1 surface_destroy(id)          2 buffer_create(w, h)
//   3 buffer_write(id, w, h): w * h * 4 bytes from the client's window (the input's bytes)
//   4 buffer_destroy(id)        5 surface_attach(surface, buffer)
//   6 surface_commit(id, damage x, y, w, h, position x, y): x and y signed bytes
//   7 event_wait (never waits)  8 drag_start(surface, payload)  9 drag_finish(id, accepted)
//  10 a frame: pending drags routed to screen point (x, y), signed bytes, then composed
//  11 a pointer event at (x, y) queued to the client, as the seat sends them
//  12 the client leaves (as when its process ends) and joins again
#include "os/arch/x86_64/cpu.h"
#include "os/core/compositor_abi.h"
#include "os/core/fuzz/corpus.h"
#include "os/core/syscall_abi.h"
#include "os/core/user_memory.h"
#include "os/kernel/compositor.h"
#include "os/kernel/fuzz_coverage.h"
#include "os/kernel/panic.h"
#include "os/kernel/process.h"
#include "os/workloads/fuzz_targets.h"

namespace rayos::workloads {
namespace {

constexpr uint32_t kClients = 4;            // the last is not registered at first
constexpr uint32_t kFirstPid = 0xfff1;      // pids no process has (0xfff0: the syscall target's)
constexpr uint64_t kMaxBufferBytes = 8192;  // the pool: each buffer's pixels fit a window
constexpr uint64_t kWindowPages = 3;        // pixels, then the event slot in its last page
constexpr uint64_t kEventOffset = kWindowPages * abi::kPageSize - sizeof(abi::CompositorEvent);
constexpr uint32_t kRequests = 13;

constinit kernel::Process clients[kClients]{};
constinit uint64_t windows[kClients]{};

kernel::CompositorOptions options() {
  kernel::CompositorOptions o;  // a small screen: a frame blends at most 3,072 pixels
  o.width = 64;
  o.height = 48;
  o.max_buffers = 8;
  o.max_buffer_bytes = kMaxBufferBytes;
  o.queue_capacity = 4;  // overflows after a few events
  return o;
}

// Everything set up once, with interrupts on, that an input must not find missing: the process
// table and the TSC calibration compositor_start waits for (a first start does both), and each
// client's window, mapped and backed (the first input touching a page must not count as holding
// a frame more than the last).
bool prepare_compositor() {
  if (!kernel::compositor_start(options())) return false;
  kernel::compositor_stop();
  static const uint8_t zeros[abi::kPageSize] = {};
  for (uint32_t i = 0; i < kClients; ++i) {
    kernel::Process& p = clients[i];
    p.user = true;
    p.pid = kFirstPid + i;
    p.name = "compositor_fuzz";
    p.quota.max_pages = kWindowPages;
    if (!p.space.create() || p.space.map(kWindowPages, kWindowPages, windows[i]) != 0) return false;
    for (uint64_t page = 0; page < kWindowPages; ++page)
      if (!copy_to_user(p.space, windows[i] + page * abi::kPageSize, zeros, sizeof zeros))
        return false;
  }
  return true;
}

class Reader : public InputReader {
 public:
  using InputReader::InputReader;
  int32_t signed_byte() { return static_cast<int8_t>(byte()); }
};

void check_compositor() {
  const StringView broken = kernel::compositor_core().check();
  if (!broken.empty()) kernel::panic(broken, "a_compositor_invariant_broke");
}

// One request of client `c`: a system call, or (10-12) what the kernel does around them.
void request(Reader& in, uint32_t kind, uint32_t c) {
  kernel::Process& p = clients[c];
  compositor::Compositor& comp = kernel::compositor_core();
  arch::InterruptFrame f{};
  switch (kind) {
    case 0:
      f.rax = abi::kSurfaceCreate;
      break;
    case 1:
      f.rax = abi::kSurfaceDestroy;
      f.rdi = in.byte();
      break;
    case 2:
      f.rax = abi::kBufferCreate;
      f.rdi = in.byte();
      f.rsi = in.byte();
      break;
    case 3: {
      f.rax = abi::kBufferWrite;
      f.rdi = in.byte();
      const uint64_t width = in.byte();
      f.rdx = width * in.byte() * 4;
      f.rsi = windows[c];
      break;
    }
    case 4:
      f.rax = abi::kBufferDestroy;
      f.rdi = in.byte();
      break;
    case 5:
      f.rax = abi::kSurfaceAttach;
      f.rdi = in.byte();
      f.rsi = in.byte();
      break;
    case 6: {
      f.rax = abi::kSurfaceCommit;
      f.rdi = in.byte();
      const int32_t x = in.signed_byte(), y = in.signed_byte();
      const uint32_t w = in.byte(), h = in.byte();
      f.rsi = abi::pack_rect(x, y, w, h);
      const int32_t at_x = in.signed_byte();
      f.rdx = abi::pack_rect(at_x, in.signed_byte(), 0, 0);
      break;
    }
    case 7:
      f.rax = abi::kEventWait;
      f.rdi = windows[c] + kEventOffset;
      f.rsi = 0;
      break;
    case 8:
      f.rax = abi::kDragStart;
      f.rdi = in.byte();
      f.rsi = in.byte();
      break;
    case 9:
      f.rax = abi::kDragFinish;
      f.rdi = in.byte();
      f.rsi = in.byte();
      break;
    case 10: {
      const int32_t x = in.signed_byte();
      comp.route_drags(x, in.signed_byte(), arch::rdtsc());
      comp.compose();
      return;
    }
    case 11: {
      const int32_t x = in.signed_byte();
      comp.queue_event(p.pid, abi::CompositorEvent{abi::EventType::kPointerMotion, 0, x,
                                                   in.signed_byte(), 0, arch::rdtsc(), 0, 0, 0});
      return;
    }
    default:
      kernel::compositor_release_process(p.pid);
      comp.add_client(p.pid);
      return;
  }
  kernel::compositor_syscall(p, f);
}

// A fresh compositor with the first three clients registered, and the windows' pixels: the
// input, then zeros (what an earlier input left is overwritten). Not recorded as coverage: it
// is the same for every input, and start() walks every table slot.
void set_up(const uint8_t* data, size_t size) {
  const kernel::CoveragePause pause;
  if (!kernel::compositor_start(options()))
    kernel::panic("FUZZ_SETUP", "no_memory_for_the_compositor");
  uint8_t pixels[kMaxFuzzInput] = {};
  __builtin_memcpy(pixels, data, size);
  for (uint32_t i = 0; i < kClients; ++i) {
    if (i + 1 < kClients) kernel::compositor_core().add_client(clients[i].pid);
    if (!copy_to_user(clients[i].space, windows[i], pixels, sizeof pixels))
      kernel::panic("FUZZ_SETUP", "a_client_window_is_not_mapped");
  }
}

void run_compositor(const uint8_t* data, size_t size) {
  const HeldMemory before = held_memory();
  set_up(data, size);
  Reader in(data, size);
  while (!in.done()) {
    const uint8_t op = in.byte();
    request(in, (op & 15) % kRequests, (op >> 4) & 3);
    check_compositor();
  }
  {
    const kernel::CoveragePause pause;  // stop() walks every table slot too
    kernel::compositor_stop();
  }
  panic_on_leak(before);
}

// Requests with their client bits clear, as words: the mutator's inserts make sequences of them.
constexpr StringView kCompositorWords[] = {
    StringView("\x00", 1),
    StringView("\x01\x01", 2),
    StringView("\x02\x04\x04", 3),
    StringView("\x03\x01\x04\x04", 4),
    StringView("\x04\x01", 2),
    StringView("\x05\x01\x01", 3),
    StringView("\x06\x01\x00\x00\x04\x04\x08\x08", 8),
    StringView("\x07", 1),
    StringView("\x08\x01\x2a", 3),
    StringView("\x09\x01\x01", 3),
    StringView("\x0a\x0a\x0a", 3),
    StringView("\x0b\x02\x02", 3),
    StringView("\x0c", 1),
    StringView("\x10", 1),
    StringView("\x20", 1),
    StringView("\x30", 1),
};
constexpr StringView kCompositorSeeds[] = {
    // client 0: surface_create, buffer_create(4, 4), buffer_write(1, 4, 4), attach(1, 1),
    // commit(1, damage 0,0 4x4, at 8,8), a frame, event_wait
    StringView("\x00\x02\x04\x04\x03\x01\x04\x04\x05\x01\x01\x06\x01\x00\x00\x04\x04\x08\x08"
               "\x0a\x00\x00\x07",
               23),
    // client 1 shows a 4x4 buffer at 10,10; client 0 drags from its own surface, a frame drops
    // the drag at 11,11 on client 1's, which waits for the event and accepts drag 1
    StringView("\x10\x12\x04\x04\x15\x01\x01\x16\x01\x00\x00\x04\x04\x0a\x0a"
               "\x00\x08\x02\x07\x0a\x0b\x0b\x17\x19\x01\x01\x07",
               27),
    // client 2: surface, a pointer event, event_wait, leaves and joins again, event_wait
    StringView("\x20\x2b\x01\x01\x27\x2c\x27", 7),
};

}  // namespace

constexpr FuzzTarget kCompositorFuzzTarget{
    "compositor",     {kCompositorWords, sizeof kCompositorWords / sizeof kCompositorWords[0]},
    kCompositorSeeds, sizeof kCompositorSeeds / sizeof kCompositorSeeds[0],
    run_compositor,   prepare_compositor};

}  // namespace rayos::workloads
