// client <ClientWorkload packed by os/core/compositor_workload.h>: a VirtualClient of the
// compositor. It keeps `surfaces` surfaces of `side` x `side` pixels, each with its own buffer,
// and does, each at its own rate:
//   draw    — draw_hz times a second, redraws one surface (round robin: a moving translucent band
//             over a pattern), writes its buffer and commits only the rows that changed; now and
//             then it moves the surface (a full-extent damage);
//   input   — handles every event as it arrives: a button toggles the surface's colour, a key
//             changes the band's speed; for every event it reports the delivery latency (its
//             rdtsc at receipt minus the TSC the compositor stamped when it queued the event);
//   drag    — dnd_per_min times a minute, drags a payload (value and its complement) from one
//             of its surfaces; the compositor drops it on another client, whose client checks
//             the payload and accepts it, and the source is told the outcome;
//   churn   — churn_per_min times a minute, destroys a surface and its buffer and makes new ones;
//   leak    — with leak_bytes_per_min > 0, maps memory and touches it page by page at that rate,
//             never freeing it (an intentional leak for the soak's leak detection).
// A full buffer pool or quota, or a drop whose source ended before it was finished, is counted
// and tolerated (graceful degradation); any other error ends the client. Exits when the
// compositor sends kQuit: 0, or 1 when a system call failed unexpectedly (the call and its error
// logged first), 2 when a drag payload arrived damaged or a drag it started was refused.
#include "os/core/compositor_abi.h"
#include "os/core/compositor_workload.h"
#include "os/core/prng.h"
#include "os/user/runtime/runtime.h"

using namespace rayos::user;
namespace abi = rayos::abi;
namespace comp = rayos::compositor;

namespace {

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kMaxWaitMs = 50;
constexpr uint64_t kLeakChunkPages = 64;
constexpr uint32_t kMaxSide = 255;

inline uint64_t rdtsc() {
  uint32_t lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (uint64_t{hi} << 32) | lo;
}

// The first unexpected failure, logged before the client exits 1 so that a soak's
// "client exited 1" names the call and its error.
struct Failure {
  uint64_t call;
  int64_t error;  // 0: none yet
};
constinit Failure first_failure{};
constinit uint64_t last_call = 0;

inline int64_t call(uint64_t n, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) {
  last_call = n;
  return syscall(n, a, b, c);
}

struct Surface {
  int64_t id;  // 0: none
  int64_t buffer;
  int32_t x, y;
  uint32_t band;   // the band's top row
  uint32_t speed;  // rows per redraw
  uint32_t colour;
  bool repaint;  // its colour changed: the next commit damages all of it
};

struct Client {
  comp::ClientWorkload w;
  rayos::Prng* prng;  // lives on rayos_main's stack (its constructor is not constexpr)
  Surface surfaces[comp::kMaxClientSurfaces];
  uint32_t next_draw_slot;
  uint64_t refused;  // pool or quota full: tolerated
  bool failed;       // an unexpected error: exit 1
  bool bad_drag;     // a damaged payload or a refused drop: exit 2
  uint64_t leak_start_ms, leak_touched, leak_mapped;
  uint64_t leak_region;
};

constinit uint32_t pixels[kMaxSide * kMaxSide];
constinit Client client{};

void expect_ok(int64_t result) {
  if (result >= 0) return;
  client.failed = true;
  if (first_failure.error == 0) first_failure = Failure{last_call, result};
}

uint64_t exit_failed() {
  log_value("failed_call", first_failure.call);
  log_value("failed_error", static_cast<uint64_t>(-first_failure.error));
  return 1;
}

// The band is translucent (alpha 0x90) over an opaque pattern: the compositor blends both.
void paint(const Surface& s, uint32_t side) {
  for (uint32_t row = 0; row < side; ++row) {
    bool in_band = (row + side - s.band) % side < side / 4;
    for (uint32_t col = 0; col < side; ++col) {
      uint32_t pattern = ((row ^ col) & 8) ? s.colour : (s.colour ^ 0x00303030u);
      pixels[row * side + col] = in_band ? (0x90000000u | ((pattern ^ 0x00ffffffu) & 0x00ffffffu))
                                         : (0xff000000u | pattern);
    }
  }
}

bool make_surface(Surface& s) {
  uint32_t side = client.w.side;
  s = Surface{};
  int64_t id = call(abi::kSurfaceCreate);
  if (id == abi::kErrQuota) {
    ++client.refused;
    return false;
  }
  expect_ok(id);
  if (id < 0) return false;
  int64_t buffer = call(abi::kBufferCreate, side, side);
  if (buffer == abi::kErrQuota || buffer == abi::kErrNoMemory) {
    ++client.refused;
    expect_ok(call(abi::kSurfaceDestroy, static_cast<uint64_t>(id)));
    return false;
  }
  expect_ok(buffer);
  if (buffer < 0) return false;
  s.id = id;
  s.buffer = buffer;
  s.x = static_cast<int32_t>(client.prng->below(600));
  s.y = static_cast<int32_t>(client.prng->below(440));
  s.speed = 1 + static_cast<uint32_t>(client.prng->below(4));
  s.colour = static_cast<uint32_t>(client.prng->next()) & 0x00ffffffu;
  paint(s, side);
  expect_ok(call(abi::kBufferWrite, static_cast<uint64_t>(buffer),
                 reinterpret_cast<uint64_t>(pixels), uint64_t{side} * side * 4));
  expect_ok(call(abi::kSurfaceAttach, static_cast<uint64_t>(id), static_cast<uint64_t>(buffer)));
  expect_ok(call(abi::kSurfaceCommit, static_cast<uint64_t>(id), abi::pack_rect(0, 0, side, side),
                 abi::pack_rect(s.x, s.y, 0, 0)));
  return true;
}

void destroy_surface(Surface& s) {
  if (s.id == 0) return;
  expect_ok(call(abi::kSurfaceDestroy, static_cast<uint64_t>(s.id)));
  expect_ok(call(abi::kBufferDestroy, static_cast<uint64_t>(s.buffer)));
  s = Surface{};
}

// Redraws one surface: the band moves down by `speed` rows; only the rows it left and entered
// are damaged (the whole surface when it wraps or the surface moves).
void draw() {
  uint32_t side = client.w.side;
  Surface& s = client.surfaces[client.next_draw_slot++ % client.w.surfaces];
  if (s.id == 0 && !make_surface(s)) return;
  uint32_t old_band = s.band;
  s.band = (s.band + s.speed) % side;
  paint(s, side);
  expect_ok(call(abi::kBufferWrite, static_cast<uint64_t>(s.buffer),
                 reinterpret_cast<uint64_t>(pixels), uint64_t{side} * side * 4));
  uint32_t band_h = side / 4;
  uint64_t damage =
      !s.repaint && s.band > old_band && s.band + band_h <= side
          ? abi::pack_rect(0, static_cast<int32_t>(old_band), side, s.band + band_h - old_band)
          : abi::pack_rect(0, 0, side, side);
  s.repaint = false;
  if (client.prng->chance(1, 50)) {  // now and then the window moves
    s.x = static_cast<int32_t>(client.prng->below(600));
    s.y = static_cast<int32_t>(client.prng->below(440));
  }
  expect_ok(call(abi::kSurfaceCommit, static_cast<uint64_t>(s.id), damage,
                 abi::pack_rect(s.x, s.y, 0, 0)));
}

void churn() {
  Surface& s = client.surfaces[client.prng->below(client.w.surfaces)];
  destroy_surface(s);
  make_surface(s);
}

void start_drag() {
  Surface& s = client.surfaces[client.prng->below(client.w.surfaces)];
  if (s.id == 0) return;
  uint64_t value = client.prng->next() >> 32;
  int64_t drag =
      call(abi::kDragStart, static_cast<uint64_t>(s.id), value << 32 | (~value & 0xffffffffu));
  if (drag == abi::kErrQuota) {
    ++client.refused;
    return;
  }
  expect_ok(drag);
}

Surface* surface_with_id(uint32_t id) {
  for (Surface& s : client.surfaces)
    if (s.id == id) return &s;
  return nullptr;
}

// Returns false on kQuit.
bool handle(const abi::CompositorEvent& e) {
  uint64_t received = rdtsc();
  if (e.type == abi::EventType::kQuit) return false;
  expect_ok(call(abi::kLatencyReport, e.seq, received - e.queued_tsc));
  switch (e.type) {
    case abi::EventType::kPointerButton:
      if (Surface* s = surface_with_id(e.surface); s != nullptr && e.data2 == 1)
        s->colour ^= 0x00808080u, s->repaint = true;
      break;
    case abi::EventType::kKey:
      if (Surface* s = surface_with_id(e.surface); s != nullptr) s->speed = 1 + e.data % 4;
      break;
    case abi::EventType::kDragDrop: {
      bool intact = ((e.data >> 32) ^ (e.data & 0xffffffffu)) == 0xffffffffu;
      if (!intact) client.bad_drag = true;
      int64_t finished = call(abi::kDragFinish, e.data2, intact ? 1 : 0);
      // A source that ends (asked to quit while its drop is queued here) takes its drag with it.
      if (finished == abi::kErrNoEntry)
        ++client.refused;
      else
        expect_ok(finished);
      break;
    }
    case abi::EventType::kDragFinished:
      if (e.data != 1) client.bad_drag = true;
      break;
    default:  // motion, cancelled drags (no target under the drop point), probes
      break;
  }
  return true;
}

// Maps and touches memory it never frees, keeping up with leak_bytes_per_min.
void leak(uint64_t now_ms) {
  if (client.w.leak_bytes_per_min == 0) return;
  uint64_t owed_pages =
      client.w.leak_bytes_per_min * (now_ms - client.leak_start_ms) / 60000 / abi::kPageSize;
  while (client.leak_touched < owed_pages) {
    if (client.leak_touched == client.leak_mapped) {
      int64_t region = mem_map(kLeakChunkPages);
      if (region < 0) {  // the quota caps the leak: counted, not fatal
        ++client.refused;
        return;
      }
      client.leak_region = static_cast<uint64_t>(region);
      client.leak_mapped += kLeakChunkPages;
    }
    uint64_t page = client.leak_region + (client.leak_touched % kLeakChunkPages) * abi::kPageSize;
    *reinterpret_cast<volatile uint64_t*>(page) = page;  // backs the page: a frame now in use
    ++client.leak_touched;
  }
}

uint64_t period_ns(uint32_t per_minute) {
  return per_minute == 0 ? UINT64_MAX : 60'000 * kMs / per_minute;
}

}  // namespace

extern "C" uint64_t rayos_main(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
  const uint64_t args[4] = {a0, a1, a2, a3};
  if (!comp::unpack(args, client.w) || client.w.side > kMaxSide) return 1;
  rayos::Prng prng(client.w.seed);
  client.prng = &prng;
  for (uint32_t i = 0; i < client.w.surfaces; ++i) make_surface(client.surfaces[i]);
  uint64_t now = time_ns();
  client.leak_start_ms = now / kMs;
  const uint64_t draw_period = 1'000'000'000 / client.w.draw_hz;
  const uint64_t churn_period = period_ns(client.w.churn_per_min);
  const uint64_t dnd_period = period_ns(client.w.dnd_per_min);
  // Staggered starts, so that clients started together do not act in lockstep.
  uint64_t next_draw = now + client.prng->below(draw_period);
  uint64_t next_churn =
      churn_period == UINT64_MAX ? UINT64_MAX : now + client.prng->below(churn_period);
  uint64_t next_dnd = dnd_period == UINT64_MAX ? UINT64_MAX : now + client.prng->below(dnd_period);
  for (;;) {
    if (client.failed) return exit_failed();
    uint64_t next = next_draw < next_churn ? next_draw : next_churn;
    if (next_dnd < next) next = next_dnd;
    uint64_t wait_ms = next > now ? (next - now + kMs - 1) / kMs : 0;
    if (wait_ms > kMaxWaitMs) wait_ms = kMaxWaitMs;
    abi::CompositorEvent event{};
    int64_t got = call(abi::kEventWait, reinterpret_cast<uint64_t>(&event), wait_ms);
    if (got == 0 && !handle(event)) break;
    if (got < 0 && got != abi::kErrAgain) {
      expect_ok(got);
      return exit_failed();
    }
    now = time_ns();
    if (now >= next_draw) {
      draw();
      next_draw += draw_period;
      if (next_draw < now) next_draw = now + draw_period;  // fell behind: skip, don't burst
    }
    if (now >= next_churn) {
      churn();
      next_churn = now + churn_period;
    }
    if (now >= next_dnd) {
      start_drag();
      next_dnd = now + dnd_period;
    }
    leak(now / kMs);
  }
  if (client.failed) return exit_failed();
  if (client.bad_drag) return 2;
  log_value("refused", client.refused);
  return 0;
}
