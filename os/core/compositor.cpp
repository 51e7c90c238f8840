#include "os/core/compositor.h"

#include "os/core/syscall_abi.h"

namespace rayos::compositor {
namespace {

int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }
int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }

// Overlapping or sharing an edge: merging such a pair costs no extra pixels worth a second pass.
bool touches(const Rect& a, const Rect& b) {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

}  // namespace

Rect intersect(const Rect& a, const Rect& b) {
  int32_t x0 = max32(a.x, b.x), y0 = max32(a.y, b.y);
  int32_t x1 = min32(a.x + a.w, b.x + b.w), y1 = min32(a.y + a.h, b.y + b.h);
  if (x1 <= x0 || y1 <= y0) return Rect{0, 0, 0, 0};
  return Rect{x0, y0, x1 - x0, y1 - y0};
}

Rect bounding(const Rect& a, const Rect& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  int32_t x0 = min32(a.x, b.x), y0 = min32(a.y, b.y);
  int32_t x1 = max32(a.x + a.w, b.x + b.w), y1 = max32(a.y + a.h, b.y + b.h);
  return Rect{x0, y0, x1 - x0, y1 - y0};
}

void Damage::add(const Rect& r) {
  if (r.empty()) return;
  Rect merged = r;
  // A merge can grow the box into rectangles it missed before: repeat until none touches it.
  for (bool again = true; again;) {
    again = false;
    for (uint32_t i = 0; i < count_; ++i) {
      if (!touches(rects_[i], merged)) continue;
      merged = bounding(merged, rects_[i]);
      rects_[i] = rects_[--count_];
      again = true;
      break;
    }
  }
  if (count_ == kMaxDamage) {
    for (uint32_t i = 0; i < count_; ++i) merged = bounding(merged, rects_[i]);
    count_ = 0;
  }
  rects_[count_++] = merged;
}

uint64_t Damage::area() const {
  uint64_t total = 0;
  for (uint32_t i = 0; i < count_; ++i) total += uint64_t(rects_[i].w) * uint64_t(rects_[i].h);
  return total;
}

bool Compositor::start(const Config& config, PixelMemory& memory) {
  if (running()) stop();
  if (config.width <= 0 || config.height <= 0 || config.width > kMaxScreen ||
      config.height > kMaxScreen || config.max_buffers == 0 || config.max_buffers > kMaxBuffers ||
      config.max_buffer_bytes == 0 || config.queue_capacity == 0 ||
      config.queue_capacity > kMaxQueue)
    return false;
  size_t pixels = size_t(config.width) * size_t(config.height);
  auto* fb = static_cast<uint32_t*>(memory.allocate(pixels * 4, 0));
  if (fb == nullptr) return false;
  fill_pixels(fb, pixels, kBackground);
  config_ = config;
  memory_ = &memory;
  framebuffer_ = fb;
  for (Client& c : clients_) c.pid = 0;
  for (Buffer& b : buffers_) b = Buffer{};
  for (Surface& s : surfaces_) s = Surface{};
  for (Drag& d : drags_) d = Drag{};
  damage_.clear();
  next_z_ = next_seq_ = 1;
  buffers_live_ = 0;
  buffer_bytes_ = 0;
  events_queued_ = events_delivered_ = events_overflowed_ = 0;
  drags_completed_ = drags_cancelled_ = 0;
  frames_ = pixels_blended_ = 0;
  return true;
}

void Compositor::stop() {
  if (!running()) return;
  for (Buffer& b : buffers_)
    if (b.owner != 0) free_buffer(b);
  for (Client& c : clients_) c.pid = 0;
  for (Surface& s : surfaces_) s = Surface{};
  for (Drag& d : drags_) d = Drag{};
  memory_->release(framebuffer_);
  framebuffer_ = nullptr;
}

Compositor::Client* Compositor::find_client(uint32_t pid) {
  if (pid == 0 || !running()) return nullptr;
  for (Client& c : clients_)
    if (c.pid == pid) return &c;
  return nullptr;
}

const Compositor::Client* Compositor::find_client(uint32_t pid) const {
  return const_cast<Compositor*>(this)->find_client(pid);
}

int64_t Compositor::add_client(uint32_t pid) {
  if (pid == 0 || !running() || is_client(pid)) return abi::kErrInvalid;
  for (Client& c : clients_) {
    if (c.pid != 0) continue;
    c.pid = pid;
    c.head = c.count = 0;
    c.overflowed = 0;
    return 0;
  }
  return abi::kErrQuota;
}

void Compositor::remove_client(uint32_t pid, uint64_t now_tsc) {
  Client* c = find_client(pid);
  if (c == nullptr) return;
  c->pid = 0;
  for (Drag& d : drags_) {
    if (d.source == pid) {
      d = Drag{};
      ++drags_cancelled_;
    } else if (d.source != 0 && d.target == pid) {
      end_drag(d, EventType::kDragCancelled, 0, now_tsc);
    }
  }
  for (Surface& s : surfaces_) {
    if (s.owner != pid) continue;
    damage_screen(extent(s));
    s = Surface{};
  }
  for (Buffer& b : buffers_)
    if (b.owner == pid) free_buffer(b);
}

Compositor::Surface* Compositor::own_surface(uint32_t pid, uint32_t id) {
  if (id == 0 || id > kMaxSurfaces || surfaces_[id - 1].owner != pid) return nullptr;
  return &surfaces_[id - 1];
}

Compositor::Buffer* Compositor::own_buffer(uint32_t pid, uint32_t id) {
  if (id == 0 || id > kMaxBuffers || buffers_[id - 1].owner != pid) return nullptr;
  return &buffers_[id - 1];
}

Rect Compositor::extent(const Surface& s) const {
  if (s.owner == 0 || s.shown == 0) return Rect{0, 0, 0, 0};
  const Buffer& b = buffers_[s.shown - 1];
  return Rect{s.x, s.y, b.w, b.h};
}

void Compositor::damage_screen(const Rect& r) {
  damage_.add(intersect(r, Rect{0, 0, config_.width, config_.height}));
}

void Compositor::free_buffer(Buffer& b) {
  uint32_t id = static_cast<uint32_t>(&b - buffers_) + 1;
  for (Surface& s : surfaces_) {
    if (s.owner == 0) continue;
    if (s.shown == id) {
      damage_screen(extent(s));
      s.shown = 0;
    }
    if (s.pending == id && !config_.stale_pending_attach) s.pending = 0;
  }
  memory_->release(b.pixels);
  --buffers_live_;
  buffer_bytes_ -= uint64_t(b.w) * uint64_t(b.h) * 4;
  b = Buffer{};
}

int64_t Compositor::create_surface(uint32_t pid) {
  if (find_client(pid) == nullptr) return abi::kErrPerm;
  for (uint32_t i = 0; i < kMaxSurfaces; ++i) {
    if (surfaces_[i].owner != 0) continue;
    surfaces_[i] = Surface{pid, 0, 0, 0, 0, next_z_++};
    return i + 1;
  }
  return abi::kErrQuota;
}

int64_t Compositor::destroy_surface(uint32_t pid, uint32_t surface) {
  if (find_client(pid) == nullptr) return abi::kErrPerm;
  Surface* s = own_surface(pid, surface);
  if (s == nullptr) return abi::kErrNoEntry;
  damage_screen(extent(*s));
  *s = Surface{};
  return 0;
}

int64_t Compositor::create_buffer(uint32_t pid, int32_t width, int32_t height) {
  if (find_client(pid) == nullptr) return abi::kErrPerm;
  if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide) return abi::kErrInvalid;
  uint64_t bytes = uint64_t(width) * uint64_t(height) * 4;
  if (buffers_live_ >= config_.max_buffers || buffer_bytes_ + bytes > config_.max_buffer_bytes)
    return abi::kErrQuota;
  for (uint32_t i = 0; i < kMaxBuffers; ++i) {
    Buffer& b = buffers_[i];
    if (b.owner != 0) continue;
    auto* pixels = static_cast<uint32_t*>(memory_->allocate(bytes, pid));
    if (pixels == nullptr) return abi::kErrNoMemory;
    fill_pixels(pixels, bytes / 4, 0);  // transparent until drawn
    b = Buffer{pid, width, height, pixels};
    ++buffers_live_;
    buffer_bytes_ += bytes;
    return i + 1;
  }
  return abi::kErrQuota;
}

uint32_t* Compositor::buffer_pixels(uint32_t pid, uint32_t buffer, size_t& bytes, int64_t& error) {
  error = 0;
  if (find_client(pid) == nullptr) {
    error = abi::kErrPerm;
    return nullptr;
  }
  Buffer* b = own_buffer(pid, buffer);
  if (b == nullptr) {
    error = abi::kErrNoEntry;
    return nullptr;
  }
  bytes = size_t(b->w) * size_t(b->h) * 4;
  return b->pixels;
}

int64_t Compositor::destroy_buffer(uint32_t pid, uint32_t buffer) {
  if (find_client(pid) == nullptr) return abi::kErrPerm;
  Buffer* b = own_buffer(pid, buffer);
  if (b == nullptr) return abi::kErrNoEntry;
  free_buffer(*b);
  return 0;
}

int64_t Compositor::attach(uint32_t pid, uint32_t surface, uint32_t buffer) {
  if (find_client(pid) == nullptr) return abi::kErrPerm;
  Surface* s = own_surface(pid, surface);
  if (s == nullptr || own_buffer(pid, buffer) == nullptr) return abi::kErrNoEntry;
  s->pending = buffer;
  return 0;
}

int64_t Compositor::commit(uint32_t pid, uint32_t surface, const Rect& damage, int32_t x,
                           int32_t y) {
  if (find_client(pid) == nullptr) return abi::kErrPerm;
  Surface* s = own_surface(pid, surface);
  if (s == nullptr) return abi::kErrNoEntry;
  if (x < -kMaxScreen || y < -kMaxScreen || x > kMaxScreen || y > kMaxScreen)
    return abi::kErrInvalid;
  Rect before = extent(*s);
  s->shown = s->pending;
  s->x = x;
  s->y = y;
  Rect after = extent(*s);
  if (before == after) {
    damage_screen(intersect(Rect{x + damage.x, y + damage.y, damage.w, damage.h}, after));
  } else {
    damage_screen(before);
    damage_screen(after);
  }
  return 0;
}

uint64_t Compositor::queue_event(uint32_t pid, CompositorEvent event) {
  Client* c = find_client(pid);
  if (c == nullptr) return 0;
  if (c->count >= config_.queue_capacity) {
    ++c->overflowed;
    ++events_overflowed_;
    return 0;
  }
  event.seq = next_seq_++;
  c->queue[(c->head + c->count++) % kMaxQueue] = event;
  ++events_queued_;
  return event.seq;
}

bool Compositor::next_event(uint32_t pid, CompositorEvent& event) {
  Client* c = find_client(pid);
  if (c == nullptr || c->count == 0) return false;
  event = c->queue[c->head];
  event.overflowed = c->overflowed;
  c->head = (c->head + 1) % kMaxQueue;
  --c->count;
  ++events_delivered_;
  return true;
}

uint32_t Compositor::pending_events(uint32_t pid) const {
  const Client* c = find_client(pid);
  return c == nullptr ? 0 : c->count;
}

void Compositor::event_to(uint32_t pid, EventType type, uint32_t surface, uint64_t data,
                          uint64_t data2, uint64_t now_tsc) {
  queue_event(pid, CompositorEvent{type, surface, 0, 0, 0, now_tsc, data, data2, 0});
}

int64_t Compositor::start_drag(uint32_t pid, uint32_t surface, uint64_t payload) {
  if (find_client(pid) == nullptr) return abi::kErrPerm;
  if (own_surface(pid, surface) == nullptr) return abi::kErrNoEntry;
  for (uint32_t i = 0; i < kMaxDrags; ++i) {
    if (drags_[i].source != 0) continue;
    drags_[i] = Drag{pid, 0, surface, payload};
    return i + 1;
  }
  return abi::kErrQuota;
}

void Compositor::end_drag(Drag& d, EventType to_source, uint64_t accepted, uint64_t now_tsc) {
  uint32_t id = static_cast<uint32_t>(&d - drags_) + 1;
  event_to(d.source, to_source, d.source_surface, accepted, id, now_tsc);
  if (to_source == EventType::kDragFinished)
    ++drags_completed_;
  else
    ++drags_cancelled_;
  d = Drag{};
}

void Compositor::route_drags(int32_t x, int32_t y, uint64_t now_tsc) {
  for (uint32_t i = 0; i < kMaxDrags; ++i) {
    Drag& d = drags_[i];
    if (d.source == 0 || d.target != 0) continue;
    const Surface* best = nullptr;
    for (const Surface& s : surfaces_)
      if (s.owner != 0 && s.owner != d.source && extent(s).contains(x, y) &&
          (best == nullptr || s.z > best->z))
        best = &s;
    if (best == nullptr) {
      end_drag(d, EventType::kDragCancelled, 0, now_tsc);
      continue;
    }
    uint32_t surface = static_cast<uint32_t>(best - surfaces_) + 1;
    CompositorEvent drop{
        EventType::kDragDrop, surface, x - best->x, y - best->y, 0, now_tsc, d.payload, i + 1, 0};
    if (queue_event(best->owner, drop) == 0) {
      end_drag(d, EventType::kDragCancelled, 0, now_tsc);
      continue;
    }
    d.target = best->owner;
  }
}

int64_t Compositor::finish_drag(uint32_t pid, uint32_t drag, bool accepted, uint64_t now_tsc) {
  if (find_client(pid) == nullptr) return abi::kErrPerm;
  if (drag == 0 || (drag > kMaxDrags && !config_.unchecked_drag_ids) ||
      drags_[drag - 1].source == 0 || drags_[drag - 1].target != pid)
    return abi::kErrNoEntry;
  end_drag(drags_[drag - 1], EventType::kDragFinished, accepted ? 1 : 0, now_tsc);
  return 0;
}

uint32_t Compositor::top_surface_of(uint32_t pid, Rect& where) const {
  const Surface* best = nullptr;
  for (const Surface& s : surfaces_)
    if (pid != 0 && s.owner == pid && !extent(s).empty() && (best == nullptr || s.z > best->z))
      best = &s;
  if (best == nullptr) return 0;
  where = extent(*best);
  return static_cast<uint32_t>(best - surfaces_) + 1;
}

uint32_t Compositor::client_at(uint32_t index) const {
  for (const Client& c : clients_)
    if (c.pid != 0 && index-- == 0) return c.pid;
  return 0;
}

FrameResult Compositor::compose() {
  FrameResult result{0, 0};
  if (!running()) return result;
  // Bottom to top: insertion sort of the visible surfaces by z (at most kMaxSurfaces).
  uint32_t order[kMaxSurfaces];
  uint32_t n = 0;
  for (uint32_t i = 0; i < kMaxSurfaces; ++i) {
    if (extent(surfaces_[i]).empty()) continue;
    uint32_t k = n++;
    for (; k > 0 && surfaces_[order[k - 1]].z > surfaces_[i].z; --k) order[k] = order[k - 1];
    order[k] = i;
  }
  for (uint32_t i = 0; i < damage_.count(); ++i) blend_rect(damage_[i], order, n, result);
  result.rects = damage_.count();
  damage_.clear();
  ++frames_;
  pixels_blended_ += result.pixels_blended;
  return result;
}

Stats Compositor::stats() const {
  Stats s{};
  for (const Client& c : clients_) s.clients += c.pid != 0;
  for (const Surface& surface : surfaces_) s.surfaces += surface.owner != 0;
  for (const Drag& d : drags_) s.drags += d.source != 0;
  s.buffers = buffers_live_;
  s.buffer_bytes = buffer_bytes_;
  s.events_queued = events_queued_;
  s.events_delivered = events_delivered_;
  s.events_overflowed = events_overflowed_;
  s.drags_completed = drags_completed_;
  s.drags_cancelled = drags_cancelled_;
  s.frames = frames_;
  s.pixels_blended = pixels_blended_;
  return s;
}

}  // namespace rayos::compositor
