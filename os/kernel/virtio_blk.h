#pragma once
// The virtio-blk driver: the first block device QEMU's microvm announces on the command line
// (`virtio_mmio.device=`), over the virtio-mmio transport, legacy (version 1, QEMU's default) or
// modern (version 2). Polling, not interrupts: a request is published, the device notified, and
// the caller polls the used ring until the device answers or a deadline passes — spinning (with
// `pause`) for 50 us, then sleeping a timer tick at a time, so that other tasks run meanwhile.
//
// Up to kBlkMaxBatch requests in flight, one caller at a time (a scenario's task). A failed
// request is an error code for the caller, never a panic; whether to retry is the caller's choice.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/text_buffer.h"

namespace rayos::kernel {

enum class BlkStatus : uint8_t {
  kOk,
  kIoError,      // the device answered VIRTIO_BLK_S_IOERR
  kUnsupported,  // the device answered VIRTIO_BLK_S_UNSUPP
  kTimeout,      // no answer within the deadline; the device is given up on
  kOutOfRange,   // beyond the end of the disk, or an empty / oversized transfer
  kNoDevice,     // not initialised, or given up on
  kBadAnswer,    // the used ring named a request that was not in flight
};
StringView blk_status_name(BlkStatus status);

// Finds and sets up the device; idempotent. False with a reason (a marker field) in `error`.
bool virtio_blk_init(TextBuffer& error);
// Size of the disk in 512-byte sectors (0 before init).
uint64_t virtio_blk_sectors();
// The transport's version (1 legacy, 2 modern), 0 before init.
uint32_t virtio_blk_version();

// Transfers `sectors` 512-byte sectors between the disk at `sector` and the physically
// contiguous buffer at `phys` (in the direct map).
BlkStatus virtio_blk_read(uint64_t sector, uint64_t phys, uint32_t sectors);
BlkStatus virtio_blk_write(uint64_t sector, uint64_t phys, uint32_t sectors);

// Several transfers at once: each group of kBlkMaxBatch is published together and waited for
// together, so the device works on them in parallel and in any order (two requests for the same
// sectors, one of them a write, do not belong in one batch). Sets every op's status.
inline constexpr size_t kBlkMaxBatch = 16;
struct BlkOp {
  bool write;
  uint64_t sector;
  uint64_t phys;
  uint32_t sectors;
  BlkStatus status;  // out
};
void virtio_blk_batch(BlkOp* ops, size_t count);

}  // namespace rayos::kernel
