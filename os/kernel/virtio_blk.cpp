#include "os/kernel/virtio_blk.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/virtqueue.h"
#include "os/kernel/clock.h"
#include "os/kernel/sched.h"
#include "os/kernel/virtio_mmio.h"

namespace rayos::kernel {
namespace {

constexpr uint32_t kFeatureFlush = 1u << 9;  // VIRTIO_BLK_F_FLUSH
constexpr uint16_t kQueueSize = 64;
constexpr uint64_t kRequestTimeoutNs = 5'000'000'000;
constexpr uint64_t kSpinNs = 50'000;
// The request frame: one slot per request of a batch, its header at 0 and its status byte at 16.
constexpr uint64_t kSlotBytes = 32;
constexpr uint64_t kStatusOffset = 16;
static_assert(kBlkMaxBatch * kSlotBytes <= 4096 && kBlkMaxBatch * 3 <= kQueueSize);
// The most one request moves: its buffer must be physically contiguous anyway.
constexpr uint32_t kMaxSectors = 2048;

struct Device {
  VirtioMmio transport;
  uint64_t sectors;
  Virtqueue queue;
  uint64_t request_phys;  // one frame of request slots (kSlotBytes each)
  bool ready;
  bool given_up;
};
constinit Device device{};

BlkStatus device_status(uint8_t status) {
  switch (status) {
    case virtio_blk::kStatusOk:
      return BlkStatus::kOk;
    case virtio_blk::kStatusUnsupported:
      return BlkStatus::kUnsupported;
    default:
      return BlkStatus::kIoError;
  }
}

bool in_range(const BlkOp& op) {
  return op.sectors != 0 && op.sectors <= kMaxSectors && op.sector <= device.sectors &&
         op.sectors <= device.sectors - op.sector;
}

// Publishes every valid op (one chain each, its header and status in its own slot of the
// request frame), notifies once, and polls until all are answered.
void submit_and_wait(BlkOp* ops, size_t count) {
  int8_t op_of_head[kQueueSize];
  for (auto& o : op_of_head) o = -1;
  size_t pending = 0;
  for (size_t i = 0; i < count; ++i) {
    BlkOp& op = ops[i];
    op.status = BlkStatus::kNoDevice;
    if (!device.ready || device.given_up) continue;
    if (!in_range(op)) {
      op.status = BlkStatus::kOutOfRange;
      continue;
    }
    const uint64_t slot = device.request_phys + i * kSlotBytes;
    *arch::phys_to_virt<virtio_blk::RequestHeader>(slot) = virtio_blk::RequestHeader{
        op.write ? virtio_blk::kTypeOut : virtio_blk::kTypeIn, 0, op.sector};
    // Anything the device does not overwrite reads as an error.
    *arch::phys_to_virt<volatile uint8_t>(slot + kStatusOffset) = 0xff;
    VirtqBuffer chain[3];
    virtio_blk::build_request(op.write, slot, op.phys, op.sectors * virtio_blk::kSectorSize,
                              slot + kStatusOffset, chain);
    const int32_t head = device.queue.add_chain(chain, 3);
    if (head < 0) continue;  // the queue is smaller than the batch: kNoDevice for this one
    op_of_head[head] = static_cast<int8_t>(i);
    ++pending;
  }
  if (pending == 0) return;
  device.transport.notify(0);

  const uint64_t start = uptime_ns();
  while (pending > 0) {
    uint32_t head = 0, len = 0;
    const VirtqPop pop = device.queue.pop_used(head, len);
    if (pop == VirtqPop::kCompleted && head < kQueueSize && op_of_head[head] >= 0) {
      const size_t i = static_cast<size_t>(op_of_head[head]);
      op_of_head[head] = -1;
      ops[i].status = device_status(*arch::phys_to_virt<volatile uint8_t>(
          device.request_phys + i * kSlotBytes + kStatusOffset));
      --pending;
      continue;
    }
    const bool bad = pop != VirtqPop::kEmpty;
    const bool late = uptime_ns() - start > kRequestTimeoutNs;
    if (bad || late) {
      // The unanswered requests still belong to the device: their buffers cannot be reused
      // safely, so the device is given up on.
      device.given_up = true;
      for (const int8_t i : op_of_head)
        if (i >= 0) ops[i].status = bad ? BlkStatus::kBadAnswer : BlkStatus::kTimeout;
      return;
    }
    // Spinning longer only takes host CPU from the QEMU threads that complete the requests:
    // after a short spin the task sleeps to the next tick, and other tasks (or the idle task's
    // hlt) run meanwhile; in a host wait (clock.h) nothing else may run, so it halts instead.
    if (uptime_ns() - start < kSpinNs) {
      asm volatile("pause" ::: "memory");
    } else if (in_host_wait()) {
      wait_for_tick();
    } else {
      sleep_until(uptime_ns() + 1);
    }
  }
  // Polled, so the interrupt is only acknowledged, to keep the device's line quiet.
  device.transport.acknowledge_interrupt();
}

}  // namespace

StringView blk_status_name(BlkStatus status) {
  switch (status) {
    case BlkStatus::kOk:
      return "ok";
    case BlkStatus::kIoError:
      return "io_error";
    case BlkStatus::kUnsupported:
      return "unsupported";
    case BlkStatus::kTimeout:
      return "timeout";
    case BlkStatus::kOutOfRange:
      return "out_of_range";
    case BlkStatus::kNoDevice:
      return "no_device";
    case BlkStatus::kBadAnswer:
      return "bad_answer";
  }
  return "unknown";
}

bool virtio_blk_init(TextBuffer& error) {
  if (device.ready) return true;
  VirtioMmio& t = device.transport;
  if (!t.find(virtio_device::kBlock, "block_device", error)) return false;
  // 512-byte sectors and one queue need no feature. VIRTIO_BLK_F_FLUSH is taken when offered:
  // a driver without it gets a write-through cache from QEMU, an fdatasync of the image after
  // every write (measured here: ~100 requests/s instead of ~2000). With it the cache is
  // write-back, as for a Linux guest: an acknowledged write is in the host's page cache, which
  // outlives a killed QEMU (not a crashed host; rayos issues no flush, nothing needs one yet).
  uint32_t accepted = 0;
  if (!t.negotiate(kFeatureFlush, accepted, error) ||
      !t.setup_queue(0, kQueueSize, device.queue, error))
    return false;
  if (!allocate_zeroed_frames(1, device.request_phys))
    return t.fail(error, "no_memory_for_the_request_slots");
  // Two 32-bit reads: the legacy transport's configuration space takes no 64-bit access.
  device.sectors = t.read32(virtio_reg::kConfig) | uint64_t{t.read32(virtio_reg::kConfig + 4)}
                                                       << 32;
  t.ready();
  device.ready = true;
  return true;
}

uint64_t virtio_blk_sectors() { return device.ready ? device.sectors : 0; }
uint32_t virtio_blk_version() { return device.ready ? device.transport.version() : 0; }

void virtio_blk_batch(BlkOp* ops, size_t count) {
  for (size_t done = 0; done < count; done += kBlkMaxBatch)
    submit_and_wait(ops + done, count - done < kBlkMaxBatch ? count - done : kBlkMaxBatch);
}

BlkStatus virtio_blk_read(uint64_t sector, uint64_t phys, uint32_t sectors) {
  BlkOp op{false, sector, phys, sectors, BlkStatus::kOk};
  submit_and_wait(&op, 1);
  return op.status;
}
BlkStatus virtio_blk_write(uint64_t sector, uint64_t phys, uint32_t sectors) {
  BlkOp op{true, sector, phys, sectors, BlkStatus::kOk};
  submit_and_wait(&op, 1);
  return op.status;
}

}  // namespace rayos::kernel
