// Compositor::check(), the fuzzer's oracle. Outside the kernel's fuzz coverage build
// (os/CMakeLists.txt): it walks every table after every request, and its branches all go the
// same way while the invariants hold, so counting them would slow the fuzzer and find nothing.
#include "os/core/compositor.h"

namespace rayos::compositor {
namespace {

// Within the screen and not empty: what Damage::add keeps after damage_screen clips it.
bool on_screen(const Rect& r, int32_t width, int32_t height) {
  return !r.empty() && r.x >= 0 && r.y >= 0 && r.x + r.w <= width && r.y + r.h <= height;
}

}  // namespace

StringView Compositor::check() const {
  if (!running()) return {};
  uint32_t live = 0;
  uint64_t bytes = 0;
  for (const Buffer& b : buffers_) {
    if (b.owner == 0) continue;
    if (find_client(b.owner) == nullptr) return "COMPOSITOR_BUFFER_OWNER";
    if (b.pixels == nullptr || b.w <= 0 || b.h <= 0 || b.w > kMaxSide || b.h > kMaxSide)
      return "COMPOSITOR_BUFFER_SIZE";
    ++live;
    bytes += uint64_t(b.w) * uint64_t(b.h) * 4;
  }
  if (live != buffers_live_ || live > config_.max_buffers) return "COMPOSITOR_BUFFER_COUNT";
  if (bytes != buffer_bytes_ || bytes > config_.max_buffer_bytes) return "COMPOSITOR_BUFFER_BYTES";

  for (const Surface& s : surfaces_) {
    if (s.owner == 0) continue;
    if (find_client(s.owner) == nullptr) return "COMPOSITOR_SURFACE_OWNER";
    const uint32_t ids[] = {s.shown, s.pending};
    for (uint32_t id : ids)
      if (id != 0 && (id > kMaxBuffers || buffers_[id - 1].owner != s.owner))
        return "COMPOSITOR_SURFACE_BUFFER";
  }

  for (const Drag& d : drags_) {
    if (d.source == 0) continue;
    if (find_client(d.source) == nullptr || (d.target != 0 && find_client(d.target) == nullptr))
      return "COMPOSITOR_DRAG_CLIENT";
  }

  uint64_t pending = 0;
  for (uint32_t i = 0; i < kMaxClients; ++i) {
    const Client& c = clients_[i];
    if (c.pid == 0) continue;
    if (c.count > config_.queue_capacity || c.head >= kMaxQueue) return "COMPOSITOR_QUEUE";
    for (uint32_t k = i + 1; k < kMaxClients; ++k)
      if (clients_[k].pid == c.pid) return "COMPOSITOR_CLIENT_TWICE";
    pending += c.count;
  }
  // A client that leaves takes its undelivered events with it: at most, not exactly.
  if (events_delivered_ + pending > events_queued_) return "COMPOSITOR_EVENT_COUNT";

  if (damage_.count() > kMaxDamage) return "COMPOSITOR_DAMAGE";
  for (uint32_t i = 0; i < damage_.count(); ++i)
    if (!on_screen(damage_[i], config_.width, config_.height)) return "COMPOSITOR_DAMAGE";
  return {};
}

}  // namespace rayos::compositor
