#pragma once
// The compositor's logic, without hardware: clients (by pid) own surfaces and ARGB buffers from
// a bounded pool, attach and commit them with a damage rectangle, and receive events through
// bounded per-client queues; drags carry a payload from one client's surface to another's;
// compose() alpha-blends every visible surface, bottom to top, into the framebuffer — only
// inside the rectangles damaged since the last frame. Fixed tables, no allocation besides the
// framebuffer and pixel buffers (through PixelMemory), every request checked: a bad id, a
// foreign surface or an exhausted pool is an abi error code, never a crash.
#include <stddef.h>
#include <stdint.h>

#include "os/core/compositor_abi.h"
#include "os/core/string_view.h"

namespace rayos::compositor {

inline constexpr uint32_t kMaxClients = 64;
inline constexpr uint32_t kMaxSurfaces = 256;
inline constexpr uint32_t kMaxBuffers = 256;
inline constexpr uint32_t kMaxQueue = 64;
inline constexpr uint32_t kMaxDrags = 32;
inline constexpr uint32_t kMaxDamage = 16;
inline constexpr int32_t kMaxSide = 1024;    // a buffer's width and height
inline constexpr int32_t kMaxScreen = 2048;  // the framebuffer's width and height
inline constexpr uint32_t kBackground = 0xff203040;

using abi::CompositorEvent;
using abi::EventType;

struct Rect {
  int32_t x, y, w, h;
  constexpr bool empty() const { return w <= 0 || h <= 0; }
  constexpr bool contains(int32_t px, int32_t py) const {
    return px >= x && py >= y && px < x + w && py < y + h;
  }
  friend constexpr bool operator==(const Rect&, const Rect&) = default;
};
// The overlap ({0,0,0,0} when none) and the smallest rectangle covering both (an empty one
// counts as nothing).
Rect intersect(const Rect& a, const Rect& b);
Rect bounding(const Rect& a, const Rect& b);

// The damaged area: up to kMaxDamage rectangles; one that overlaps or touches another is merged
// into their bounding box, and when the list is full everything collapses into one box (more
// pixels blended, never fewer than damaged).
class Damage {
 public:
  void add(const Rect& r);
  void clear() { count_ = 0; }
  uint32_t count() const { return count_; }
  const Rect& operator[](uint32_t i) const { return rects_[i]; }
  uint64_t area() const;

 private:
  Rect rects_[kMaxDamage] = {};
  uint32_t count_ = 0;
};

// `src` (non-premultiplied ARGB) over opaque `dst` (XRGB): dst + (src - dst) * a / 255 per
// channel, exact for a = 0 and a = 255.
uint32_t blend_pixel(uint32_t src, uint32_t dst);
// `count` pixels of `argb` from `pixels` on.
void fill_pixels(uint32_t* pixels, size_t count, uint32_t argb);

// Where pixels live: the kernel heap in the guest, malloc in tests. `owner` is the client's pid
// (0 for the framebuffer), so that the kernel's leak report names who held a block.
class PixelMemory {
 public:
  virtual void* allocate(size_t bytes, uint32_t owner) = 0;
  virtual void release(void* block) = 0;

 protected:
  ~PixelMemory() = default;
};

struct Config {
  int32_t width = 640;
  int32_t height = 480;
  uint32_t max_buffers = kMaxBuffers;
  uint64_t max_buffer_bytes = 8ull * 1024 * 1024;
  uint32_t queue_capacity = kMaxQueue;
  // The planted bug kBugSyscallMissingBoundsCheck (os/core/bug_knobs.h): finish_drag takes any
  // drag id as an index into its table.
  bool unchecked_drag_ids = false;
  // The planted bug kBugCompositorStaleAttach: destroying a buffer detaches it from the surfaces
  // showing it but not from those it is attached to, so their next commit shows a freed slot
  // (or, once the slot is reused, another client's buffer).
  bool stale_pending_attach = false;
};

struct FrameResult {
  uint32_t rects;
  uint64_t pixels_blended;  // surface pixels blended (the background fill not counted)
};

struct Stats {
  uint32_t clients, surfaces, buffers, drags;
  uint64_t buffer_bytes;
  uint64_t events_queued, events_delivered, events_overflowed;
  uint64_t drags_completed, drags_cancelled;
  uint64_t frames;
  uint64_t pixels_blended;
};

class Compositor {
 public:
  constexpr Compositor() = default;
  Compositor(const Compositor&) = delete;
  Compositor& operator=(const Compositor&) = delete;

  // Allocates the framebuffer (filled with kBackground). False if the config is out of range or
  // memory is short; a running compositor is stopped first.
  bool start(const Config& config, PixelMemory& memory);
  // Frees every buffer and the framebuffer; forgets every client.
  void stop();
  bool running() const { return framebuffer_ != nullptr; }

  // Client registry. add_client: kErrQuota when kMaxClients are registered, kErrInvalid if the
  // pid is 0 or already a client. remove_client frees what the client held and cancels its drags.
  int64_t add_client(uint32_t pid);
  bool is_client(uint32_t pid) const { return find_client(pid) != nullptr; }
  void remove_client(uint32_t pid, uint64_t now_tsc);

  // Requests on behalf of client `pid`. Ids are >= 1. Errors: kErrPerm (not a client),
  // kErrNoEntry (no such id, or not the caller's), kErrInvalid (bad size), kErrQuota (table or
  // pool full), kErrNoMemory (PixelMemory refused).
  int64_t create_surface(uint32_t pid);
  int64_t destroy_surface(uint32_t pid, uint32_t surface);
  int64_t create_buffer(uint32_t pid, int32_t width, int32_t height);
  // The buffer's pixels for the caller to fill, and their size; nullptr when the call is invalid
  // (`error` says why).
  uint32_t* buffer_pixels(uint32_t pid, uint32_t buffer, size_t& bytes, int64_t& error);
  int64_t destroy_buffer(uint32_t pid, uint32_t buffer);
  int64_t attach(uint32_t pid, uint32_t surface, uint32_t buffer);
  // The attached buffer becomes visible at (x, y); `damage` (buffer coordinates, clipped to it)
  // and, if the surface moved or changed size, its old and new extents are damaged.
  int64_t commit(uint32_t pid, uint32_t surface, const Rect& damage, int32_t x, int32_t y);

  // Events. queue_event stamps the event's seq and returns it; 0 when the client's queue is full
  // (counted, and reported in the client's next events) or `pid` is not a client.
  uint64_t queue_event(uint32_t pid, CompositorEvent event);
  bool next_event(uint32_t pid, CompositorEvent& event);
  uint32_t pending_events(uint32_t pid) const;

  // Drag and drop. start_drag: the drag id. route_drags hands every pending drag to the topmost
  // surface of another client under (x, y) of the screen (kDragDrop), or cancels it
  // (kDragCancelled to the source) when there is none. finish_drag is the target's answer; the
  // source gets kDragFinished.
  int64_t start_drag(uint32_t pid, uint32_t surface, uint64_t payload);
  void route_drags(int32_t x, int32_t y, uint64_t now_tsc);
  int64_t finish_drag(uint32_t pid, uint32_t drag, bool accepted, uint64_t now_tsc);

  // The topmost visible surface of `pid` and where it is on screen; 0 when none.
  uint32_t top_surface_of(uint32_t pid, Rect& where) const;
  // The pid of the client at `index` (0 <= index < client count), for round-robin input.
  uint32_t client_at(uint32_t index) const;

  // Blends the damaged area and clears it.
  FrameResult compose();

  const uint32_t* framebuffer() const { return framebuffer_; }
  int32_t width() const { return config_.width; }
  int32_t height() const { return config_.height; }
  Stats stats() const;

  // The tables' invariants (os/core/compositor_check.cpp): every buffer, surface, drag and queue
  // belongs to a registered client, a surface shows and has attached only live buffers of its
  // own client, the pool's counters match its buffers, queues stay within their capacity and the
  // damage within the screen. Empty when they hold; else the first broken one, as an id
  // (COMPOSITOR_<WHAT>) a fuzzer can crash with.
  StringView check() const;

 private:
  struct Client {
    uint32_t pid;  // 0: free
    CompositorEvent queue[kMaxQueue];
    uint32_t head, count;
    uint64_t overflowed;
  };
  struct Buffer {
    uint32_t owner;  // 0: free
    int32_t w, h;
    uint32_t* pixels;
  };
  struct Surface {
    uint32_t owner;    // 0: free
    uint32_t pending;  // attached buffer (index + 1), 0: none
    uint32_t shown;    // committed buffer (index + 1), 0: none
    int32_t x, y;
    uint64_t z;  // stacking order: higher is on top
  };
  struct Drag {
    uint32_t source;  // 0: free
    uint32_t target;  // 0: not routed yet
    uint32_t source_surface;
    uint64_t payload;
  };

  Client* find_client(uint32_t pid);
  const Client* find_client(uint32_t pid) const;
  Surface* own_surface(uint32_t pid, uint32_t id);
  Buffer* own_buffer(uint32_t pid, uint32_t id);
  Rect extent(const Surface& s) const;  // on screen; empty when nothing is shown
  void damage_screen(const Rect& r);
  void free_buffer(Buffer& b);
  void end_drag(Drag& d, EventType to_source, uint64_t accepted, uint64_t now_tsc);
  void event_to(uint32_t pid, EventType type, uint32_t surface, uint64_t data, uint64_t data2,
                uint64_t now_tsc);
  void blend_rect(const Rect& r, const uint32_t* order, uint32_t n, FrameResult& result);

  Config config_{};
  PixelMemory* memory_ = nullptr;
  uint32_t* framebuffer_ = nullptr;
  Client clients_[kMaxClients] = {};
  Buffer buffers_[kMaxBuffers] = {};
  Surface surfaces_[kMaxSurfaces] = {};
  Drag drags_[kMaxDrags] = {};
  Damage damage_{};
  uint64_t next_z_ = 1;
  uint64_t next_seq_ = 1;
  uint32_t buffers_live_ = 0;
  uint64_t buffer_bytes_ = 0;
  uint64_t events_queued_ = 0, events_delivered_ = 0, events_overflowed_ = 0;
  uint64_t drags_completed_ = 0, drags_cancelled_ = 0;
  uint64_t frames_ = 0, pixels_blended_ = 0;
};

}  // namespace rayos::compositor
