#pragma once
// The clipboard service's logic: a history of the last kHistory copied items, each with its
// owner, format, bytes and a CRC-32C taken when it was copied. A paste names the item's serial
// (what the copy returned and the clipboard's change notification carried) and gets the bytes
// back only if the item is still held and intact: an item pushed out of the history, or damaged
// in memory, is a refused paste, never stale or wrong bytes.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

class Clipboard {
 public:
  static constexpr uint32_t kHistory = 8;
  static constexpr uint32_t kMaxBytes = 256;

  enum class Paste : uint8_t { kOk, kGone, kDamaged, kTooSmall };

  // `drop_every` > 0 plants the bug `clipboard_lose_item`: every drop_every-th copy is answered
  // with a serial but never stored.
  explicit constexpr Clipboard(uint32_t drop_every = 0) : drop_every_(drop_every) {}

  // Stores a copy of `bytes` (at most kMaxBytes; false beyond) and returns its serial (>= 1).
  bool copy(uint32_t owner, uint32_t format, const void* bytes, uint32_t length, uint64_t& serial);
  // The item `serial`'s bytes into `out`, its length and format.
  Paste paste(uint64_t serial, void* out, uint32_t capacity, uint32_t& length,
              uint32_t& format) const;
  uint64_t latest() const { return next_serial_ - 1; }
  uint64_t copies() const { return next_serial_ - 1; }

 private:
  struct Item {
    uint64_t serial;  // 0: empty
    uint32_t owner, format, length, crc;
    uint8_t bytes[kMaxBytes];
  };
  Item items_[kHistory] = {};
  uint64_t next_serial_ = 1;
  uint32_t drop_every_;
};

}  // namespace rayos
