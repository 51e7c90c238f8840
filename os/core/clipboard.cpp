#include "os/core/clipboard.h"

#include "os/core/crc32c.h"

namespace rayos {

bool Clipboard::copy(uint32_t owner, uint32_t format, const void* bytes, uint32_t length,
                     uint64_t& serial) {
  if (length > kMaxBytes) return false;
  serial = next_serial_++;
  if (drop_every_ != 0 && serial % drop_every_ == 0) return true;
  Item& item = items_[serial % kHistory];
  item.serial = serial;
  item.owner = owner;
  item.format = format;
  item.length = length;
  __builtin_memcpy(item.bytes, bytes, length);
  item.crc = crc32c(item.bytes, length);
  return true;
}

Clipboard::Paste Clipboard::paste(uint64_t serial, void* out, uint32_t capacity, uint32_t& length,
                                  uint32_t& format) const {
  const Item& item = items_[serial % kHistory];
  if (serial == 0 || item.serial != serial) return Paste::kGone;
  if (crc32c(item.bytes, item.length) != item.crc) return Paste::kDamaged;
  if (item.length > capacity) return Paste::kTooSmall;
  __builtin_memcpy(out, item.bytes, item.length);
  length = item.length;
  format = item.format;
  return Paste::kOk;
}

}  // namespace rayos
