#include "os/core/ipc_ring.h"

#include "os/core/crc32c.h"

namespace rayos {
namespace {

constexpr uint64_t kMagic = 0x474e4952'43504952;  // "RIPCRING"

IpcResult corrupt(StringView* reason, StringView why) {
  if (reason != nullptr) *reason = why;
  return IpcResult::kCorrupt;
}

}  // namespace

size_t IpcRing::bytes_for(size_t capacity) {
  if (capacity == 0 || capacity > kMaxCapacity) return 0;
  return sizeof(IpcRing) + capacity * sizeof(Slot);
}

IpcRing* IpcRing::create(void* memory, size_t capacity) {
  if (memory == nullptr || bytes_for(capacity) == 0) return nullptr;
  auto* ring = static_cast<IpcRing*>(memory);
  ring->magic_ = kMagic;
  ring->capacity_ = capacity;
  ring->capacity_check_ = ~uint64_t{capacity};
  ring->head_ = 0;
  ring->tail_ = 0;
  return ring;
}

uint32_t IpcRing::message_crc(uint64_t sequence, const uint8_t* data, size_t size) {
  return crc32c(data, size, crc32c(&sequence, sizeof sequence));
}

IpcResult IpcRing::check_header(StringView* reason) const {
  if (magic_ != kMagic) return corrupt(reason, "bad_magic");
  if (capacity_ == 0 || capacity_ > kMaxCapacity || capacity_check_ != ~capacity_)
    return corrupt(reason, "bad_capacity");
  if (head_ < tail_ || head_ - tail_ > capacity_) return corrupt(reason, "bad_indices");
  return IpcResult::kOk;
}

IpcResult IpcRing::check(StringView* reason) const {
  if (check_header(reason) != IpcResult::kOk) return IpcResult::kCorrupt;
  for (uint64_t sequence = tail_; sequence != head_; ++sequence)
    if (check_slot(sequence, reason) != IpcResult::kOk) return IpcResult::kCorrupt;
  return IpcResult::kOk;
}

IpcResult IpcRing::check_slot(uint64_t sequence, StringView* reason) const {
  const Slot& slot = slots()[sequence % capacity_];
  if (slot.size > kMaxMessage) return corrupt(reason, "bad_message_size");
  if (slot.crc != message_crc(sequence, slot.data, slot.size))
    return corrupt(reason, "bad_message_crc");
  return IpcResult::kOk;
}

IpcResult IpcRing::push(const void* data, size_t size) {
  if (check_header(nullptr) != IpcResult::kOk) return IpcResult::kCorrupt;
  if (size > kMaxMessage) return IpcResult::kTooBig;
  if (head_ - tail_ == capacity_) return IpcResult::kFull;
  Slot& slot = slots()[head_ % capacity_];
  slot.size = static_cast<uint32_t>(size);
  if (size != 0) __builtin_memcpy(slot.data, data, size);
  slot.crc = message_crc(head_, slot.data, size);
  ++head_;
  return IpcResult::kOk;
}

IpcResult IpcRing::pop(void* buffer, size_t buffer_size, size_t& size) {
  if (check_header(nullptr) != IpcResult::kOk) return IpcResult::kCorrupt;
  if (head_ == tail_) return IpcResult::kEmpty;
  if (check_slot(tail_, nullptr) != IpcResult::kOk) return IpcResult::kCorrupt;
  const Slot& slot = slots()[tail_ % capacity_];
  if (slot.size > buffer_size) return IpcResult::kTooBig;
  size = slot.size;
  if (size != 0) __builtin_memcpy(buffer, slot.data, size);
  ++tail_;
  return IpcResult::kOk;
}

}  // namespace rayos
