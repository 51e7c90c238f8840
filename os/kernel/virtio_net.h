#pragma once
// The virtio-net driver: the first network device QEMU's microvm announces on the command line,
// over the virtio-mmio transport (virtio_mmio.h). Receive queue 0 keeps kNetRxBuffers buffers
// posted; transmit queue 1 sends one frame per descriptor from a pool of slots. Polled: the
// caller asks for received frames and for the link state; nothing runs in an interrupt.
//
// Link state comes from the device's status field when VIRTIO_NET_F_STATUS was negotiated; a
// device without it (QEMU's `status=off`) cannot tell link changes, and says so
// (virtio_net_reports_link()), so that the harness can call a link fault on it a no-op.
#include <stddef.h>
#include <stdint.h>

#include "os/core/net_packet.h"
#include "os/core/text_buffer.h"

namespace rayos::kernel {

inline constexpr size_t kNetRxBuffers = 32;

struct NetDeviceCounters {
  uint64_t tx_frames;
  uint64_t tx_full;  // a send refused: no transmit slot came free in time
  uint64_t rx_frames;
  uint64_t rx_bad;  // the device returned a buffer shorter than its header
};

// Finds and sets up the device; idempotent. False with a reason (a marker field) in `error`.
bool virtio_net_init(TextBuffer& error);
const net::Mac& virtio_net_mac();
uint32_t virtio_net_version();
bool virtio_net_reports_link();
// Always true on a device that does not report link state.
bool virtio_net_link_up();

// Queues one frame (without the virtio-net header, at most net::kMaxFrame bytes).
bool virtio_net_send(const uint8_t* frame, size_t len);
// Waits until the device has taken every queued frame, at most as long as a send waits for a
// slot; returns at once without a device. QEMU ends the VM at the debug-exit write, dropping
// frames still in its transmit queue: a guest's last frames were often lost that way.
void virtio_net_flush();
// Copies the next received frame into `out` (net::kMaxFrame bytes) and returns its length; 0
// when nothing has arrived.
size_t virtio_net_receive(uint8_t* out);
const NetDeviceCounters& virtio_net_counters();

}  // namespace rayos::kernel
