#pragma once
// A bounded message queue laid out in caller memory: a header and `capacity` fixed-size slots.
// What a stray write could damage is checked before it is used: every operation checks the
// magic, the capacity (stored twice) and the indices; pop checks the message's length and its
// CRC-32C (which also covers the message's sequence number, so a stale or duplicated slot fails
// too); check() does all of it for every queued message. A damaged ring answers kCorrupt with a
// reason instead of handing out garbage or reading out of bounds.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos {

enum class IpcResult { kOk, kFull, kEmpty, kTooBig, kCorrupt };

class IpcRing {
 public:
  static constexpr size_t kMaxMessage = 64;
  static constexpr size_t kMaxCapacity = 256;

  // Bytes of memory a ring of `capacity` messages needs (0 for a capacity out of range).
  static size_t bytes_for(size_t capacity);
  // Formats `memory` (bytes_for(capacity) bytes, 8-byte aligned) as an empty ring; nullptr for a
  // capacity outside 1..kMaxCapacity.
  static IpcRing* create(void* memory, size_t capacity);

  // Copies the message in; kFull, kTooBig (size > kMaxMessage) or kCorrupt leave the ring as is.
  IpcResult push(const void* data, size_t size);
  // The oldest message into `buffer`; kTooBig (buffer smaller than the message) leaves it queued.
  IpcResult pop(void* buffer, size_t buffer_size, size_t& size);
  // kOk, or kCorrupt with the reason (an id, e.g. "bad_indices").
  IpcResult check(StringView* reason = nullptr) const;

  size_t count() const { return static_cast<size_t>(head_ - tail_); }
  size_t capacity() const { return capacity_; }

 private:
  struct Slot {
    uint32_t size;
    uint32_t crc;
    uint8_t data[kMaxMessage];
  };

  IpcRing() = default;
  Slot* slots() { return reinterpret_cast<Slot*>(this + 1); }
  const Slot* slots() const { return reinterpret_cast<const Slot*>(this + 1); }
  static uint32_t message_crc(uint64_t sequence, const uint8_t* data, size_t size);
  IpcResult check_header(StringView* reason) const;
  IpcResult check_slot(uint64_t sequence, StringView* reason) const;

  uint64_t magic_;
  uint64_t capacity_;
  uint64_t capacity_check_;  // ~capacity_
  uint64_t head_;            // messages ever pushed
  uint64_t tail_;            // messages ever popped
};

}  // namespace rayos
