#include "os/kernel/virtio_net.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/virtqueue.h"
#include "os/kernel/clock.h"
#include "os/kernel/virtio_mmio.h"

namespace rayos::kernel {
namespace {

constexpr uint32_t kFeatureMac = 1u << 5;      // VIRTIO_NET_F_MAC
constexpr uint32_t kFeatureStatus = 1u << 16;  // VIRTIO_NET_F_STATUS
constexpr uint16_t kStatusLinkUp = 1;
constexpr uint16_t kRxQueue = 0;
constexpr uint16_t kTxQueue = 1;
constexpr uint16_t kQueueSize = 64;
constexpr size_t kTxSlots = 32;
constexpr uint64_t kSlotBytes = 2048;  // header + the largest frame, two to a page
constexpr uint64_t kPageSize = 4096;
constexpr uint64_t kTxWaitNs = 100'000'000;
static_assert(kNetRxBuffers <= kQueueSize && kTxSlots <= kQueueSize);
static_assert(kSlotBytes >= 12 + net::kMaxFrame);

struct Device {
  VirtioMmio transport;
  Virtqueue rx, tx;
  uint64_t rx_phys;  // kNetRxBuffers slots
  uint64_t tx_phys;  // kTxSlots slots
  int16_t rx_slot_of_head[kQueueSize];
  int16_t tx_slot_of_head[kQueueSize];
  bool tx_free[kTxSlots];
  size_t header_bytes;  // 10 legacy, 12 with VERSION_1 (num_buffers is always there)
  net::Mac mac;
  bool reports_link;
  bool ready;
  NetDeviceCounters counters;
};
constinit Device device{};

uint8_t* slot(uint64_t base, size_t index) {
  return arch::phys_to_virt<uint8_t>(base + index * kSlotBytes);
}

bool post_rx(size_t index) {
  const VirtqBuffer buffer{device.rx_phys + index * kSlotBytes, kSlotBytes, true};
  const int32_t head = device.rx.add_chain(&buffer, 1);
  if (head < 0) return false;
  device.rx_slot_of_head[head] = static_cast<int16_t>(index);
  return true;
}

// Takes back the transmit slots the device is done with.
void reclaim_tx() {
  uint32_t head = 0, len = 0;
  while (device.tx.pop_used(head, len) == VirtqPop::kCompleted) {
    if (head < kQueueSize && device.tx_slot_of_head[head] >= 0) {
      device.tx_free[device.tx_slot_of_head[head]] = true;
      device.tx_slot_of_head[head] = -1;
    }
  }
}

// Takes back the slots the device is done with until `done()` holds, for at most kTxWaitNs;
// whether it held.
template <typename Done>
bool wait_for_tx(Done done) {
  const uint64_t start = uptime_ns();
  for (;;) {
    reclaim_tx();
    if (done()) return true;
    if (uptime_ns() - start > kTxWaitNs) return false;
    asm volatile("pause" ::: "memory");
  }
}

}  // namespace

bool virtio_net_init(TextBuffer& error) {
  if (device.ready) return true;
  VirtioMmio& t = device.transport;
  if (!t.find(virtio_device::kNet, "network_device", error)) return false;
  uint32_t accepted = 0;
  if (!t.negotiate(kFeatureMac | kFeatureStatus, accepted, error)) return false;
  if (!(accepted & kFeatureMac)) return t.fail(error, "the_virtio_net_device_has_no_MAC");
  device.reports_link = (accepted & kFeatureStatus) != 0;
  device.header_bytes = t.version() == 2 ? 12 : 10;
  for (auto& h : device.rx_slot_of_head) h = -1;
  for (auto& h : device.tx_slot_of_head) h = -1;
  constexpr size_t kRxPages = kNetRxBuffers * kSlotBytes / kPageSize;
  constexpr size_t kTxPages = kTxSlots * kSlotBytes / kPageSize;
  if (!t.setup_queue(kRxQueue, kQueueSize, device.rx, error) ||
      !t.setup_queue(kTxQueue, kQueueSize, device.tx, error))
    return false;
  if (!allocate_zeroed_frames(kRxPages, device.rx_phys) ||
      !allocate_zeroed_frames(kTxPages, device.tx_phys))
    return t.fail(error, "no_memory_for_the_network_buffers");
  for (size_t i = 0; i < 6; ++i) device.mac.b[i] = t.read8(virtio_reg::kConfig + i);
  for (auto& f : device.tx_free) f = true;
  t.ready();
  for (size_t i = 0; i < kNetRxBuffers; ++i)
    if (!post_rx(i)) return t.fail(error, "the_receive_queue_is_too_small");
  t.notify(kRxQueue);
  device.ready = true;
  return true;
}

const net::Mac& virtio_net_mac() { return device.mac; }
uint32_t virtio_net_version() { return device.ready ? device.transport.version() : 0; }
bool virtio_net_reports_link() { return device.ready && device.reports_link; }

bool virtio_net_link_up() {
  if (!device.ready) return false;
  if (!device.reports_link) return true;
  // The status field follows the 6-byte MAC; byte reads suit the legacy configuration space.
  const uint16_t status =
      static_cast<uint16_t>(device.transport.read8(virtio_reg::kConfig + 6) |
                            device.transport.read8(virtio_reg::kConfig + 7) << 8);
  return (status & kStatusLinkUp) != 0;
}

bool virtio_net_send(const uint8_t* frame, size_t len) {
  if (!device.ready || len == 0 || len > net::kMaxFrame) return false;
  size_t free_slot = kTxSlots;
  const auto found_free = [&] {
    for (size_t i = 0; i < kTxSlots; ++i) {
      if (device.tx_free[i]) {
        free_slot = i;
        return true;
      }
    }
    return false;
  };
  if (!wait_for_tx(found_free)) {
    ++device.counters.tx_full;
    return false;
  }
  uint8_t* buffer = slot(device.tx_phys, free_slot);
  __builtin_memset(buffer, 0, device.header_bytes);  // no checksum offload, no GSO
  __builtin_memcpy(buffer + device.header_bytes, frame, len);
  const VirtqBuffer chain{device.tx_phys + free_slot * kSlotBytes,
                          static_cast<uint32_t>(device.header_bytes + len), false};
  const int32_t head = device.tx.add_chain(&chain, 1);
  if (head < 0) {
    ++device.counters.tx_full;
    return false;
  }
  device.tx_free[free_slot] = false;
  device.tx_slot_of_head[head] = static_cast<int16_t>(free_slot);
  device.transport.notify(kTxQueue);
  ++device.counters.tx_frames;
  return true;
}

void virtio_net_flush() {
  if (!device.ready) return;
  wait_for_tx([] {
    for (const bool f : device.tx_free)
      if (!f) return false;
    return true;
  });
}

size_t virtio_net_receive(uint8_t* out) {
  if (!device.ready) return 0;
  for (;;) {
    uint32_t head = 0, len = 0;
    if (device.rx.pop_used(head, len) != VirtqPop::kCompleted) {
      device.transport.acknowledge_interrupt();
      return 0;
    }
    if (head >= kQueueSize || device.rx_slot_of_head[head] < 0) continue;
    const size_t index = static_cast<size_t>(device.rx_slot_of_head[head]);
    device.rx_slot_of_head[head] = -1;
    size_t frame_len = 0;
    if (len > device.header_bytes && len <= kSlotBytes) {
      frame_len = len - device.header_bytes;
      if (frame_len > net::kMaxFrame) frame_len = net::kMaxFrame;
      __builtin_memcpy(out, slot(device.rx_phys, index) + device.header_bytes, frame_len);
      ++device.counters.rx_frames;
    } else {
      ++device.counters.rx_bad;
    }
    post_rx(index);
    device.transport.notify(kRxQueue);
    if (frame_len) return frame_len;
  }
}

const NetDeviceCounters& virtio_net_counters() { return device.counters; }

}  // namespace rayos::kernel
