#pragma once
// A split virtqueue (virtio 1.x §2.6, driver side): the descriptor table, the available ring the
// driver publishes chains in, and the used ring the device returns them in. Portable: it knows
// the queue's memory by a pointer (where the driver reads and writes it) and by the address the
// device uses, so the host tests can play the device over ordinary memory.
//
// The three parts are laid out in one area in the legacy order (descriptors, available ring,
// used ring at the next `align` boundary), which suits both the legacy MMIO transport (one page
// frame number) and the modern one (three addresses).
#include <stddef.h>
#include <stdint.h>

namespace rayos {

struct VirtqDesc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};

namespace virtq_flags {
inline constexpr uint16_t kNext = 1;   // the chain goes on at `next`
inline constexpr uint16_t kWrite = 2;  // the device writes this buffer
}  // namespace virtq_flags

struct VirtqUsedElem {
  uint32_t id;   // head of the completed chain
  uint32_t len;  // bytes the device wrote into it
};

// One buffer of a chain, by device address.
struct VirtqBuffer {
  uint64_t addr;
  uint32_t len;
  bool device_writes;
};

enum class VirtqPop {
  kEmpty,      // nothing new in the used ring
  kCompleted,  // `head` and `len` hold a finished chain, whose descriptors are free again
  kBadUsed,    // the device returned an id that is not the head of a chain in flight
};

class Virtqueue {
 public:
  static constexpr uint16_t kMaxSize = 256;

  // Bytes of the area for a queue of `size` entries with the used ring at `align`.
  static size_t bytes_needed(uint16_t size, size_t align);

  // Takes the zeroed area at `memory` (device address `device_addr`, both `align`-aligned).
  // False when `size` is not a power of two in 1..kMaxSize or `align` not a power of two.
  bool init(void* memory, uint64_t device_addr, uint16_t size, size_t align);

  uint16_t size() const { return size_; }
  uint64_t desc_addr() const { return device_addr_; }
  uint64_t avail_addr() const { return device_addr_ + avail_offset_; }
  uint64_t used_addr() const { return device_addr_ + used_offset_; }
  uint16_t free_descriptors() const { return free_count_; }
  uint16_t in_flight() const { return static_cast<uint16_t>(size_ - free_count_); }

  // Writes `count` buffers as one chain and publishes its head in the available ring; returns
  // the head, or -1 when fewer than `count` descriptors are free (nothing is changed then).
  // The device must still be notified.
  int32_t add_chain(const VirtqBuffer* buffers, size_t count);

  // Takes the next completion from the used ring.
  VirtqPop pop_used(uint32_t& head, uint32_t& len);

 private:
  VirtqDesc* desc() const { return static_cast<VirtqDesc*>(memory_); }
  uint16_t* avail() const;  // flags, idx, ring[size], used_event
  uint8_t* used() const;    // flags, idx, ring[size] of VirtqUsedElem, avail_event

  void* memory_ = nullptr;
  uint64_t device_addr_ = 0;
  uint16_t size_ = 0;
  size_t avail_offset_ = 0;
  size_t used_offset_ = 0;
  uint16_t free_head_ = 0;
  uint16_t free_count_ = 0;
  uint16_t avail_idx_ = 0;             // next free slot of the available ring (free-running)
  uint16_t last_used_ = 0;             // used-ring entries consumed so far (free-running)
  uint16_t chain_len_[kMaxSize] = {};  // descriptors of the chain at each head; 0: not a head
};

// Block requests (virtio 1.x §5.2.6): a 16-byte header the device reads, the data, and one
// status byte the device writes.
namespace virtio_blk {
inline constexpr uint32_t kTypeIn = 0;   // read from the disk
inline constexpr uint32_t kTypeOut = 1;  // write to the disk
inline constexpr uint8_t kStatusOk = 0;
inline constexpr uint8_t kStatusIoErr = 1;
inline constexpr uint8_t kStatusUnsupported = 2;
inline constexpr uint32_t kSectorSize = 512;

struct RequestHeader {
  uint32_t type;
  uint32_t reserved;
  uint64_t sector;
};

// The three-buffer chain of one request: header, data (device-written for reads), status.
void build_request(bool write, uint64_t header_addr, uint64_t data_addr, uint32_t data_len,
                   uint64_t status_addr, VirtqBuffer (&chain)[3]);
}  // namespace virtio_blk

}  // namespace rayos
