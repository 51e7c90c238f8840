// diskwrite blocks=N duration_sec=S interval_ms=I: writes self-describing 4 KiB blocks
// (os/core/disk_pattern: block number, generation, seed, CRC-32C) to the first N blocks of the
// virtio-blk disk, one every I ms for S seconds of uptime, and acknowledges each completed write
// with DISK:ACK:<block>:<generation>. The harness holds the guest to its acknowledgements: after
// killing QEMU it reads the image and checks that every acknowledged write is there
// (inject/disk_check), then boots a new QEMU on the same image.
//
// At boot the guest reads its blocks back and continues each one's generation (DISK:START), so a
// restarted guest writes newer generations over what the killed one left. Every write is read
// back and verified; a failed request (an injected EIO) is reported (DISK:IO_ERROR) and retried
// every 20 ms until it succeeds or the time is up. The last 4 KiB of the disk are never touched:
// the fault injector uses them to switch blkdebug's error windows.
//
// lose_writes=1 (planted bug, 0 = off): rewrites of block 0 are acknowledged but never written,
// like a driver that completes a request it dropped; the harness's check after a kill must
// catch it.
#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/disk_pattern.h"
#include "os/core/prng.h"
#include "os/core/virtqueue.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/kernel/sched.h"
#include "os/kernel/virtio_blk.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constexpr ParamSpec kParams[] = {{"blocks", 1, 4096, 64},
                                 {"duration_sec", 1, 604800, 10},
                                 {"interval_ms", 1, 60000, 10},
                                 {"lose_writes", 0, 1, 0}};
enum Param : size_t { kBlocks, kDurationSec, kIntervalMs, kLoseWrites };

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kSectorsPerBlock = disk_pattern::kBlockSize / virtio_blk::kSectorSize;
constexpr uint64_t kRetryNs = 20 * kMs;

struct Disk {
  uint64_t phys;
  uint64_t seed;
  uint64_t end_ns;
  uint64_t io_errors;

  // Retries a failed request until it succeeds or the run's time is up.
  bool transfer(bool write, uint64_t block) {
    for (uint32_t attempt = 1;; ++attempt) {
      const kernel::BlkStatus status =
          write ? kernel::virtio_blk_write(block * kSectorsPerBlock, phys, kSectorsPerBlock)
                : kernel::virtio_blk_read(block * kSectorsPerBlock, phys, kSectorsPerBlock);
      if (status == kernel::BlkStatus::kOk) return true;
      ++io_errors;
      kernel::emit<markers::kDiskIoError>(StringView(write ? "write" : "read"), block,
                                          kernel::blk_status_name(status), uint64_t{attempt});
      if (status != kernel::BlkStatus::kIoError || kernel::uptime_ns() >= end_ns) return false;
      kernel::sleep_until(kernel::uptime_ns() + kRetryNs);
    }
  }
  void* buffer() const { return arch::phys_to_virt<void>(phys); }
};

uint32_t run(const kernel::ScenarioContext& context) {
  kernel::process_init();  // memory, and the scheduler that sleep_until() needs
  TextBuffer error;
  if (!kernel::virtio_blk_init(error)) {
    kernel::emit<markers::kDiskError>(error.view());
    return 1;
  }
  // The last block stays free for the fault injector (see the file comment).
  const uint64_t disk_blocks = kernel::virtio_blk_sectors() / kSectorsPerBlock;
  const uint64_t blocks = context.params[kBlocks];
  if (disk_blocks < blocks + 1) {
    kernel::emit<markers::kDiskError>(StringView("the_disk_is_too_small_for_blocks_plus_one"));
    return 1;
  }
  auto* generations =
      static_cast<uint32_t*>(kernel::kmalloc(blocks * sizeof(uint32_t), kernel::kKernelTag));
  Disk disk{0, context.seed, 0, 0};
  bool have_buffer = false;
  {
    arch::InterruptGuard guard;
    have_buffer = kernel::frames().allocate(disk.phys);
  }
  if (!generations || !have_buffer) {
    kernel::emit<markers::kDiskError>(StringView("no_memory_for_the_disk_buffers"));
    return 1;
  }
  disk.end_ns = kernel::uptime_ns() + context.params[kDurationSec] * 1'000'000'000;

  uint64_t corrupt = 0;
  uint32_t newest = 0;
  for (uint64_t block = 0; block < blocks; ++block) {
    generations[block] = 0;
    if (!disk.transfer(false, block)) continue;
    // Whatever an earlier boot left is acceptable if it is a good block of this run.
    const auto check = disk_pattern::verify(disk.buffer(), block, 0, disk.seed);
    if (check == disk_pattern::Check::kOk) {
      generations[block] = static_cast<const disk_pattern::Header*>(disk.buffer())->generation;
      if (generations[block] > newest) newest = generations[block];
    } else if (check != disk_pattern::Check::kNeverWritten) {
      ++corrupt;
      kernel::emit<markers::kDiskCorrupt>(block, StringView(disk_pattern::check_name(check)),
                                          uint64_t{0});
    }
  }
  kernel::emit<markers::kDiskStart>(blocks, uint64_t{newest});

  uint64_t state = context.seed ^ (uint64_t{newest} << 32) ^ 0xd15c;
  uint64_t writes = 0, given_up = 0;
  const uint64_t interval = context.params[kIntervalMs] * kMs;
  for (uint64_t next = kernel::uptime_ns(); kernel::uptime_ns() < disk.end_ns; next += interval) {
    const uint64_t block = splitmix64(state) % blocks;
    const uint32_t generation = generations[block] + 1;
    if (context.params[kLoseWrites] != 0 && block == 0 && generation > 1) {
      generations[block] = generation;
      ++writes;
      kernel::emit<markers::kDiskAck>(block, uint64_t{generation});
      continue;
    }
    disk_pattern::fill(disk.buffer(), block, generation, disk.seed);
    if (!disk.transfer(true, block)) {
      // Unacknowledged: the disk may hold the old block or the new one.
      generations[block] = 0;
      ++given_up;
      continue;
    }
    generations[block] = generation;
    ++writes;
    kernel::emit<markers::kDiskAck>(block, uint64_t{generation});
    if (disk.transfer(false, block)) {
      const auto check = disk_pattern::verify(disk.buffer(), block, generation, disk.seed);
      if (check != disk_pattern::Check::kOk) {
        ++corrupt;
        kernel::emit<markers::kDiskCorrupt>(block, StringView(disk_pattern::check_name(check)),
                                            uint64_t{generation});
      }
    } else {
      ++given_up;
    }
    if (kernel::uptime_ns() < next + interval) kernel::sleep_until(next + interval);
  }
  kernel::emit<markers::kDiskDone>(writes, disk.io_errors, corrupt);
  kernel::free_frame(disk.phys);
  kernel::kfree(generations);
  return corrupt == 0 && given_up == 0 ? 0 : 1;
}

}  // namespace

const kernel::Scenario kDiskWrite = kernel::make_scenario("diskwrite", kParams, run);

}  // namespace rayos::workloads
