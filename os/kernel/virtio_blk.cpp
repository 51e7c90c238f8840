#include "os/kernel/virtio_blk.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/virtio_cmdline.h"
#include "os/core/virtqueue.h"
#include "os/kernel/boot_info.h"
#include "os/kernel/clock.h"
#include "os/kernel/memory.h"
#include "os/kernel/sched.h"

namespace rayos::kernel {
namespace {

// virtio-mmio registers (virtio 1.x §4.2.2; the legacy ones from §4.2.4).
namespace reg {
constexpr uint32_t kMagic = 0x000;
constexpr uint32_t kVersion = 0x004;
constexpr uint32_t kDeviceId = 0x008;
constexpr uint32_t kDeviceFeatures = 0x010;
constexpr uint32_t kDeviceFeaturesSel = 0x014;
constexpr uint32_t kDriverFeatures = 0x020;
constexpr uint32_t kDriverFeaturesSel = 0x024;
constexpr uint32_t kGuestPageSize = 0x028;  // legacy
constexpr uint32_t kQueueSel = 0x030;
constexpr uint32_t kQueueNumMax = 0x034;
constexpr uint32_t kQueueNum = 0x038;
constexpr uint32_t kQueueAlign = 0x03c;  // legacy
constexpr uint32_t kQueuePfn = 0x040;    // legacy
constexpr uint32_t kQueueReady = 0x044;
constexpr uint32_t kQueueNotify = 0x050;
constexpr uint32_t kInterruptStatus = 0x060;
constexpr uint32_t kInterruptAck = 0x064;
constexpr uint32_t kStatus = 0x070;
constexpr uint32_t kQueueDescLow = 0x080;
constexpr uint32_t kQueueDescHigh = 0x084;
constexpr uint32_t kQueueAvailLow = 0x090;
constexpr uint32_t kQueueAvailHigh = 0x094;
constexpr uint32_t kQueueUsedLow = 0x0a0;
constexpr uint32_t kQueueUsedHigh = 0x0a4;
constexpr uint32_t kConfig = 0x100;  // virtio-blk: capacity (u64, sectors) first
}  // namespace reg

constexpr uint32_t kMagicValue = 0x74726976;  // "virt"
constexpr uint32_t kBlockDeviceId = 2;
constexpr uint32_t kStatusAcknowledge = 1;
constexpr uint32_t kStatusDriver = 2;
constexpr uint32_t kStatusDriverOk = 4;
constexpr uint32_t kStatusFeaturesOk = 8;
constexpr uint32_t kStatusFailed = 128;
constexpr uint32_t kFeatureVersion1High = 1;  // VIRTIO_F_VERSION_1 is bit 32
constexpr uint32_t kFeatureFlush = 1u << 9;   // VIRTIO_BLK_F_FLUSH
constexpr uint16_t kQueueSize = 64;
constexpr uint64_t kPageSize = 4096;
constexpr uint64_t kLargePage = 2ull << 20;
constexpr size_t kMaxSlots = 8;
constexpr uint64_t kRequestTimeoutNs = 5'000'000'000;
constexpr uint64_t kSpinNs = 50'000;
// The request frame: one slot per request of a batch, its header at 0 and its status byte at 16.
constexpr uint64_t kSlotBytes = 32;
constexpr uint64_t kStatusOffset = 16;
static_assert(kBlkMaxBatch * kSlotBytes <= 4096 && kBlkMaxBatch * 3 <= kQueueSize);
// The most one request moves: its buffer must be physically contiguous anyway.
constexpr uint32_t kMaxSectors = 2048;

struct Device {
  volatile uint8_t* mmio;
  uint32_t version;
  uint64_t sectors;
  Virtqueue queue;
  uint64_t request_phys;  // one frame of request slots (kSlotBytes each)
  bool ready;
  bool given_up;
};
constinit Device device{};

uint32_t read32(uint32_t offset) {
  return *reinterpret_cast<volatile uint32_t*>(device.mmio + offset);
}
void write32(uint32_t offset, uint32_t value) {
  *reinterpret_cast<volatile uint32_t*>(device.mmio + offset) = value;
}

// Maps the 2 MiB around `phys` (uncached) into the device window that boot.S opened for the
// local APIC (the page directory behind KERNEL_VMA + 1 GiB), reusing a slot that maps it already.
volatile uint8_t* map_device(uint64_t phys) {
  constexpr uint64_t kPresentWrite = 0x3, kUncached = 0x18, kLarge = 0x80;
  constexpr uint64_t kAddressMask = 0x000ffffffffff000;
  const uint64_t frame = phys & ~(kLargePage - 1);
  auto* pml4 = arch::phys_to_virt<uint64_t>(kernel_root());
  auto* pdpt = arch::phys_to_virt<uint64_t>(pml4[511] & kAddressMask);
  auto* pd = arch::phys_to_virt<uint64_t>(pdpt[511] & kAddressMask);
  const uint64_t entry = frame | kUncached | kLarge | kPresentWrite;
  for (size_t i = 0; i < 512; ++i) {
    if (pd[i] == entry || pd[i] == 0) {
      pd[i] = entry;
      return reinterpret_cast<volatile uint8_t*>(arch::kLapicVirt + i * kLargePage +
                                                 (phys - frame));
    }
  }
  return nullptr;
}

bool allocate_zeroed(size_t count, uint64_t& phys) {
  arch::InterruptGuard guard;
  if (!frames().allocate_contiguous(count, phys)) return false;
  __builtin_memset(arch::phys_to_virt<void>(phys), 0, count * kPageSize);
  return true;
}

bool fail(TextBuffer& error, StringView reason) {
  if (device.mmio) write32(reg::kStatus, read32(reg::kStatus) | kStatusFailed);
  error.add(reason);
  return false;
}

bool negotiate(TextBuffer& error) {
  write32(reg::kStatus, 0);  // reset
  write32(reg::kStatus, kStatusAcknowledge);
  write32(reg::kStatus, kStatusAcknowledge | kStatusDriver);
  // 512-byte sectors and one queue need no feature. VIRTIO_BLK_F_FLUSH is taken when offered:
  // a driver without it gets a write-through cache from QEMU, an fdatasync of the image after
  // every write (measured here: ~100 requests/s instead of ~2000). With it the cache is
  // write-back, as for a Linux guest: an acknowledged write is in the host's page cache, which
  // outlives a killed QEMU (not a crashed host; rayos issues no flush, nothing needs one yet).
  write32(reg::kDeviceFeaturesSel, 0);
  const uint32_t offered = read32(reg::kDeviceFeatures);
  write32(reg::kDriverFeaturesSel, 0);
  write32(reg::kDriverFeatures, offered & kFeatureFlush);
  if (device.version == 1) {
    write32(reg::kGuestPageSize, kPageSize);
    return true;
  }
  write32(reg::kDeviceFeaturesSel, 1);
  if (!(read32(reg::kDeviceFeatures) & kFeatureVersion1High))
    return fail(error, "virtio_blk_modern_device_without_VERSION_1");
  write32(reg::kDriverFeaturesSel, 1);
  write32(reg::kDriverFeatures, kFeatureVersion1High);
  write32(reg::kStatus, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
  if (!(read32(reg::kStatus) & kStatusFeaturesOk))
    return fail(error, "virtio_blk_refused_our_features");
  return true;
}

bool setup_queue(TextBuffer& error) {
  write32(reg::kQueueSel, 0);
  const uint32_t max = read32(reg::kQueueNumMax);
  if (max == 0) return fail(error, "virtio_blk_has_no_queue_0");
  uint16_t size = kQueueSize;
  while (size > max) size = static_cast<uint16_t>(size / 2);
  const size_t bytes = Virtqueue::bytes_needed(size, kPageSize);
  const size_t pages = (bytes + kPageSize - 1) / kPageSize;
  uint64_t phys = 0;
  if (!allocate_zeroed(pages, phys) || !allocate_zeroed(1, device.request_phys))
    return fail(error, "no_memory_for_the_virtqueue");
  device.queue.init(arch::phys_to_virt<void>(phys), phys, size, kPageSize);
  write32(reg::kQueueNum, size);
  if (device.version == 1) {
    write32(reg::kQueueAlign, kPageSize);
    write32(reg::kQueuePfn, static_cast<uint32_t>(phys / kPageSize));
  } else {
    const uint64_t parts[3][3] = {
        {reg::kQueueDescLow, reg::kQueueDescHigh, device.queue.desc_addr()},
        {reg::kQueueAvailLow, reg::kQueueAvailHigh, device.queue.avail_addr()},
        {reg::kQueueUsedLow, reg::kQueueUsedHigh, device.queue.used_addr()}};
    for (const auto& p : parts) {
      write32(static_cast<uint32_t>(p[0]), static_cast<uint32_t>(p[2]));
      write32(static_cast<uint32_t>(p[1]), static_cast<uint32_t>(p[2] >> 32));
    }
    write32(reg::kQueueReady, 1);
  }
  return true;
}

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
  write32(reg::kQueueNotify, 0);

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
    // hlt) run meanwhile.
    if (uptime_ns() - start < kSpinNs) {
      asm volatile("pause" ::: "memory");
    } else {
      sleep_until(uptime_ns() + 1);
    }
  }
  // Polled, so the interrupt is only acknowledged, to keep the device's line quiet.
  write32(reg::kInterruptAck, read32(reg::kInterruptStatus));
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
  VirtioMmioSlot slots[kMaxSlots];
  size_t malformed = 0;
  const size_t count = find_virtio_mmio_devices(boot_info().cmdline, slots, kMaxSlots, malformed);
  if (count == 0) {
    error.add(malformed ? "malformed_virtio_mmio.device_on_the_command_line"
                        : "no_virtio_mmio.device_on_the_command_line(give_the_guest_a_disk)");
    return false;
  }
  for (size_t i = 0; i < count; ++i) {
    device.mmio = map_device(slots[i].base);
    if (!device.mmio) return fail(error, "no_room_to_map_the_virtio_mmio_registers");
    if (read32(reg::kMagic) != kMagicValue || read32(reg::kDeviceId) != kBlockDeviceId) continue;
    device.version = read32(reg::kVersion);
    if (device.version != 1 && device.version != 2)
      return fail(error, "virtio_mmio_version_is_neither_1_nor_2");
    if (!negotiate(error) || !setup_queue(error)) return false;
    // Two 32-bit reads: the legacy transport's configuration space takes no 64-bit access.
    device.sectors = read32(reg::kConfig) | uint64_t{read32(reg::kConfig + 4)} << 32;
    write32(reg::kStatus, read32(reg::kStatus) | kStatusDriverOk);
    device.ready = true;
    return true;
  }
  device.mmio = nullptr;
  error.add("no_virtio_block_device_among_").add(uint64_t{count}).add("_virtio_mmio_devices");
  return false;
}

uint64_t virtio_blk_sectors() { return device.ready ? device.sectors : 0; }
uint32_t virtio_blk_version() { return device.ready ? device.version : 0; }

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
