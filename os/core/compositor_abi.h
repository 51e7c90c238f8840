#pragma once
// What ring-3 compositor clients and the kernel share besides the call numbers
// (os/core/syscall_abi.h): the event record a client receives and the packing of rectangles and
// positions into one system-call argument.
#include <stdint.h>

namespace rayos::abi {

enum class EventType : uint32_t {
  kNone = 0,
  kPointerMotion = 1,  // x, y: pointer position in surface coordinates
  kPointerButton = 2,  // x, y as above; data: button, data2: 1 pressed / 0 released
  kKey = 3,            // data: key code, data2: 1 pressed / 0 released
  kDragDrop = 4,       // to the target: data = payload, data2 = drag id (answer with kDragFinish)
  kDragFinished = 5,   // to the source: data = 1 accepted / 0 refused, data2 = drag id
  kDragCancelled = 6,  // to the source: no target, or the target went away; data2 = drag id
  kProbe = 7,          // a latency probe from a kernel workload: report it, nothing else
  kQuit = 8,           // the compositor asks the client to exit
};

// One event, as kEventWait copies it out. `queued_tsc` is the TSC when the compositor queued it:
// the client's delivery latency is its own rdtsc at receipt minus this (one clock, one CPU).
struct CompositorEvent {
  EventType type;
  uint32_t surface;
  int32_t x;
  int32_t y;
  uint64_t seq;  // the compositor's event number, echoed by kLatencyReport
  uint64_t queued_tsc;
  uint64_t data;
  uint64_t data2;
  uint64_t overflowed;  // events this client's queue has refused so far (it was full)
};
static_assert(sizeof(CompositorEvent) == 56);

// A rectangle in one argument: x and y as signed 16-bit, width and height as unsigned 16-bit.
inline constexpr uint64_t pack_rect(int32_t x, int32_t y, uint32_t w, uint32_t h) {
  return uint64_t{static_cast<uint16_t>(x)} | uint64_t{static_cast<uint16_t>(y)} << 16 |
         uint64_t{static_cast<uint16_t>(w)} << 32 | uint64_t{static_cast<uint16_t>(h)} << 48;
}
inline constexpr int32_t rect_x(uint64_t packed) { return static_cast<int16_t>(packed); }
inline constexpr int32_t rect_y(uint64_t packed) { return static_cast<int16_t>(packed >> 16); }
inline constexpr uint32_t rect_w(uint64_t packed) { return static_cast<uint16_t>(packed >> 32); }
inline constexpr uint32_t rect_h(uint64_t packed) { return static_cast<uint16_t>(packed >> 48); }

}  // namespace rayos::abi
