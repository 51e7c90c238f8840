#include "os/kernel/virtio_mmio.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/virtio_cmdline.h"
#include "os/kernel/boot_info.h"
#include "os/kernel/memory.h"

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
constexpr uint32_t kQueueDescLow = 0x080;
constexpr uint32_t kQueueDescHigh = 0x084;
constexpr uint32_t kQueueAvailLow = 0x090;
constexpr uint32_t kQueueAvailHigh = 0x094;
constexpr uint32_t kQueueUsedLow = 0x0a0;
constexpr uint32_t kQueueUsedHigh = 0x0a4;
}  // namespace reg

constexpr uint32_t kMagicValue = 0x74726976;  // "virt"
constexpr uint32_t kStatusAcknowledge = 1;
constexpr uint32_t kStatusDriver = 2;
constexpr uint32_t kStatusDriverOk = 4;
constexpr uint32_t kStatusFeaturesOk = 8;
constexpr uint32_t kStatusFailed = 128;
constexpr uint32_t kFeatureVersion1High = 1;  // VIRTIO_F_VERSION_1 is bit 32
constexpr uint64_t kPageSize = 4096;
constexpr size_t kMaxSlots = 8;

}  // namespace

bool allocate_zeroed_frames(size_t count, uint64_t& phys) {
  arch::InterruptGuard guard;
  if (!frames().allocate_contiguous(count, phys)) return false;
  __builtin_memset(arch::phys_to_virt<void>(phys), 0, count * kPageSize);
  return true;
}

bool VirtioMmio::fail(TextBuffer& error, StringView reason) {
  if (mmio_) write32(virtio_reg::kStatus, read32(virtio_reg::kStatus) | kStatusFailed);
  error.add(reason);
  return false;
}

bool VirtioMmio::find(uint32_t device_id, StringView what, TextBuffer& error) {
  VirtioMmioSlot slots[kMaxSlots];
  size_t malformed = 0;
  const size_t count = find_virtio_mmio_devices(boot_info().cmdline, slots, kMaxSlots, malformed);
  if (count == 0) {
    error
        .add(malformed ? "malformed_virtio_mmio.device_on_the_command_line"
                       : "no_virtio_mmio.device_on_the_command_line(give_the_guest_a_")
        .add(malformed ? "" : what)
        .add(malformed ? "" : ")");
    return false;
  }
  for (size_t i = 0; i < count; ++i) {
    mmio_ = map_device(slots[i].base);
    if (!mmio_) return fail(error, "no_room_to_map_the_virtio_mmio_registers");
    if (read32(reg::kMagic) != kMagicValue || read32(reg::kDeviceId) != device_id) continue;
    version_ = read32(reg::kVersion);
    if (version_ != 1 && version_ != 2)
      return fail(error, "virtio_mmio_version_is_neither_1_nor_2");
    write32(virtio_reg::kStatus, 0);  // reset
    return true;
  }
  mmio_ = nullptr;
  error.add("no_virtio_").add(what).add("_among_").add(uint64_t{count}).add("_virtio_mmio_devices");
  return false;
}

bool VirtioMmio::negotiate(uint32_t wanted, uint32_t& accepted, TextBuffer& error) {
  write32(virtio_reg::kStatus, kStatusAcknowledge);
  write32(virtio_reg::kStatus, kStatusAcknowledge | kStatusDriver);
  write32(reg::kDeviceFeaturesSel, 0);
  accepted = read32(reg::kDeviceFeatures) & wanted;
  write32(reg::kDriverFeaturesSel, 0);
  write32(reg::kDriverFeatures, accepted);
  if (version_ == 1) {
    write32(reg::kGuestPageSize, kPageSize);
    return true;
  }
  write32(reg::kDeviceFeaturesSel, 1);
  if (!(read32(reg::kDeviceFeatures) & kFeatureVersion1High))
    return fail(error, "modern_virtio_device_without_VERSION_1");
  write32(reg::kDriverFeaturesSel, 1);
  write32(reg::kDriverFeatures, kFeatureVersion1High);
  write32(virtio_reg::kStatus, kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk);
  if (!(read32(virtio_reg::kStatus) & kStatusFeaturesOk))
    return fail(error, "the_virtio_device_refused_our_features");
  return true;
}

bool VirtioMmio::setup_queue(uint16_t index, uint16_t size, Virtqueue& queue, TextBuffer& error) {
  write32(reg::kQueueSel, index);
  const uint32_t max = read32(reg::kQueueNumMax);
  if (max == 0) return fail(error, "the_virtio_device_lacks_a_queue");
  while (size > max) size = static_cast<uint16_t>(size / 2);
  const size_t bytes = Virtqueue::bytes_needed(size, kPageSize);
  const size_t pages = (bytes + kPageSize - 1) / kPageSize;
  uint64_t phys = 0;
  if (!allocate_zeroed_frames(pages, phys)) return fail(error, "no_memory_for_the_virtqueue");
  queue.init(arch::phys_to_virt<void>(phys), phys, size, kPageSize);
  write32(reg::kQueueNum, size);
  if (version_ == 1) {
    write32(reg::kQueueAlign, kPageSize);
    write32(reg::kQueuePfn, static_cast<uint32_t>(phys / kPageSize));
    return true;
  }
  const uint64_t parts[3][3] = {{reg::kQueueDescLow, reg::kQueueDescHigh, queue.desc_addr()},
                                {reg::kQueueAvailLow, reg::kQueueAvailHigh, queue.avail_addr()},
                                {reg::kQueueUsedLow, reg::kQueueUsedHigh, queue.used_addr()}};
  for (const auto& p : parts) {
    write32(static_cast<uint32_t>(p[0]), static_cast<uint32_t>(p[2]));
    write32(static_cast<uint32_t>(p[1]), static_cast<uint32_t>(p[2] >> 32));
  }
  write32(reg::kQueueReady, 1);
  return true;
}

void VirtioMmio::ready() {
  write32(virtio_reg::kStatus, read32(virtio_reg::kStatus) | kStatusDriverOk);
}

}  // namespace rayos::kernel
