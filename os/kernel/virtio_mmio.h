#pragma once
// The virtio-mmio transport (virtio 1.x §4.2), legacy (version 1, QEMU's default on microvm) and
// modern (version 2), shared by the block and network drivers: finding a device of a given type
// among the `virtio_mmio.device=` slots of the command line, feature negotiation and queue
// set-up. The drivers poll their queues; the interrupt is only acknowledged.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/text_buffer.h"
#include "os/core/virtqueue.h"

namespace rayos::kernel {

namespace virtio_device {
inline constexpr uint32_t kNet = 1;
inline constexpr uint32_t kBlock = 2;
}  // namespace virtio_device

// Register offsets this file's users need beyond negotiation and queue set-up.
namespace virtio_reg {
inline constexpr uint32_t kQueueNotify = 0x050;
inline constexpr uint32_t kInterruptStatus = 0x060;
inline constexpr uint32_t kInterruptAck = 0x064;
inline constexpr uint32_t kStatus = 0x070;
inline constexpr uint32_t kConfig = 0x100;  // the device-specific configuration space
}  // namespace virtio_reg

class VirtioMmio {
 public:
  // Maps the first device of type `device_id` the command line announces and resets it; false
  // with a reason (a marker field) in `error`.
  bool find(uint32_t device_id, StringView what, TextBuffer& error);
  // ACKNOWLEDGE | DRIVER, then offers the device `wanted` of its feature bits 0..31 (and
  // VERSION_1 on a modern transport); returns the bits 0..31 both sides have. False (device
  // marked FAILED) with a reason when the device refuses.
  bool negotiate(uint32_t wanted, uint32_t& accepted, TextBuffer& error);
  // Sets up queue `index` with up to `size` entries (fewer when the device has fewer) in
  // zeroed, physically contiguous memory.
  bool setup_queue(uint16_t index, uint16_t size, Virtqueue& queue, TextBuffer& error);
  // DRIVER_OK: the device may use the queues from now on.
  void ready();
  void notify(uint16_t queue) { write32(virtio_reg::kQueueNotify, queue); }
  // Acknowledges whatever interrupt the device raised (the drivers poll).
  void acknowledge_interrupt() {
    write32(virtio_reg::kInterruptAck, read32(virtio_reg::kInterruptStatus));
  }
  uint32_t version() const { return version_; }
  uint32_t read32(uint32_t offset) const {
    return *reinterpret_cast<volatile uint32_t*>(mmio_ + offset);
  }
  uint8_t read8(uint32_t offset) const { return *(mmio_ + offset); }
  void write32(uint32_t offset, uint32_t value) {
    *reinterpret_cast<volatile uint32_t*>(mmio_ + offset) = value;
  }
  bool fail(TextBuffer& error, StringView reason);

 private:
  volatile uint8_t* mmio_ = nullptr;
  uint32_t version_ = 0;
};

// `count` zeroed, physically contiguous frames; false when memory is short.
bool allocate_zeroed_frames(size_t count, uint64_t& phys);

}  // namespace rayos::kernel
