#include "os/core/virtqueue.h"

namespace rayos {
namespace {

constexpr bool is_power_of_two(size_t v) { return v != 0 && (v & (v - 1)) == 0; }
constexpr size_t align_up(size_t v, size_t align) { return (v + align - 1) & ~(align - 1); }

constexpr size_t avail_bytes(uint16_t size) { return 2 * (3 + size_t{size}); }
constexpr size_t used_bytes(uint16_t size) { return 6 + 8 * size_t{size}; }

// The device reads and writes the rings concurrently: every access to a shared index goes
// through the atomic builtins, so the compiler neither caches nor reorders it across the
// ring updates it guards (x86 keeps stores in order; the fences cost nothing there).
uint16_t load_acquire(const uint16_t* p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
void store_release(uint16_t* p, uint16_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

}  // namespace

size_t Virtqueue::bytes_needed(uint16_t size, size_t align) {
  return align_up(sizeof(VirtqDesc) * size + avail_bytes(size), align) + used_bytes(size);
}

bool Virtqueue::init(void* memory, uint64_t device_addr, uint16_t size, size_t align) {
  if (!is_power_of_two(size) || size > kMaxSize || !is_power_of_two(align)) return false;
  memory_ = memory;
  device_addr_ = device_addr;
  size_ = size;
  avail_offset_ = sizeof(VirtqDesc) * size;
  used_offset_ = align_up(avail_offset_ + avail_bytes(size), align);
  for (uint16_t i = 0; i < size; ++i) {
    desc()[i] = VirtqDesc{0, 0, 0, static_cast<uint16_t>(i + 1)};
    chain_len_[i] = 0;
  }
  free_head_ = 0;
  free_count_ = size;
  avail_idx_ = 0;
  last_used_ = 0;
  return true;
}

uint16_t* Virtqueue::avail() const {
  return reinterpret_cast<uint16_t*>(static_cast<uint8_t*>(memory_) + avail_offset_);
}

uint8_t* Virtqueue::used() const { return static_cast<uint8_t*>(memory_) + used_offset_; }

int32_t Virtqueue::add_chain(const VirtqBuffer* buffers, size_t count) {
  if (count == 0 || count > free_count_) return -1;
  const uint16_t head = free_head_;
  uint16_t index = head;
  for (size_t i = 0; i < count; ++i) {
    VirtqDesc& d = desc()[index];
    const uint16_t next_free = d.next;
    d.addr = buffers[i].addr;
    d.len = buffers[i].len;
    d.flags = static_cast<uint16_t>((buffers[i].device_writes ? virtq_flags::kWrite : 0) |
                                    (i + 1 < count ? virtq_flags::kNext : 0));
    if (i + 1 < count) d.next = next_free;
    index = next_free;
  }
  free_head_ = index;
  free_count_ = static_cast<uint16_t>(free_count_ - count);
  chain_len_[head] = static_cast<uint16_t>(count);

  uint16_t* ring = avail();
  ring[2 + (avail_idx_ & (size_ - 1))] = head;
  // The device may read the ring entry as soon as it sees the new index.
  store_release(&ring[1], ++avail_idx_);
  return head;
}

VirtqPop Virtqueue::pop_used(uint32_t& head, uint32_t& len) {
  uint8_t* u = used();
  const uint16_t device_idx = load_acquire(reinterpret_cast<uint16_t*>(u + 2));
  if (device_idx == last_used_) return VirtqPop::kEmpty;
  const auto* ring = reinterpret_cast<const VirtqUsedElem*>(u + 4);
  const VirtqUsedElem elem = ring[last_used_ & (size_ - 1)];
  ++last_used_;
  if (elem.id >= size_ || chain_len_[elem.id] == 0) return VirtqPop::kBadUsed;

  // Back onto the free list: the chain's last descriptor points at the old free head.
  uint16_t last = static_cast<uint16_t>(elem.id);
  for (uint16_t i = 1; i < chain_len_[elem.id]; ++i) last = desc()[last].next;
  desc()[last].next = free_head_;
  free_head_ = static_cast<uint16_t>(elem.id);
  free_count_ = static_cast<uint16_t>(free_count_ + chain_len_[elem.id]);
  chain_len_[elem.id] = 0;
  head = elem.id;
  len = elem.len;
  return VirtqPop::kCompleted;
}

namespace virtio_blk {

void build_request(bool write, uint64_t header_addr, uint64_t data_addr, uint32_t data_len,
                   uint64_t status_addr, VirtqBuffer (&chain)[3]) {
  chain[0] = VirtqBuffer{header_addr, sizeof(RequestHeader), false};
  chain[1] = VirtqBuffer{data_addr, data_len, !write};
  chain[2] = VirtqBuffer{status_addr, 1, true};
}

}  // namespace virtio_blk
}  // namespace rayos
