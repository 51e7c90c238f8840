#include "os/workloads/stress_loads.h"

#include "os/arch/x86_64/cpu.h"
#include "os/arch/x86_64/memory.h"
#include "os/core/disk_pattern.h"
#include "os/core/prng.h"
#include "os/core/virtqueue.h"
#include "os/kernel/clock.h"
#include "os/kernel/console.h"
#include "os/kernel/memory.h"
#include "os/kernel/process.h"
#include "os/kernel/virtio_blk.h"

namespace rayos::workloads {
namespace {

constexpr uint64_t kFrame = FrameAllocator::kFrameSize;
constexpr uint64_t kSectorsPerBlock = disk_pattern::kBlockSize / virtio_blk::kSectorSize;
// The generation table lives in the kernel heap: 4 bytes per block, up to 1 GiB of disk.
constexpr uint64_t kMaxBlocks = 262144;
constexpr uint32_t kAttempts = 3;
constexpr uint64_t kSecond = 1'000'000'000;

uint64_t frame_pattern(uint64_t phys, size_t word) {
  return (phys + word * 8) ^ 0xa5a5f00dcafe5a5aull;
}

}  // namespace

bool CpuLoad::set(size_t count, TextBuffer& error) {
  if (count > kMaxProcs) count = kMaxProcs;
  set_count_down(count);
  while (count_ < count) {
    kernel::Quota quota;
    quota.cpu_limit_ms = 0;  // busy until the level ends
    const int64_t pid = kernel::spawn(kernel::SpawnRequest{"spinner", {0, 0, 0, 0}, quota});
    if (pid < 0) {
      error.add("cpu_load_spawn_refused_after_").add(uint64_t{count_}).add("_spinners");
      return false;
    }
    pids_[count_++] = static_cast<uint32_t>(pid);
  }
  return true;
}

void CpuLoad::set_count_down(size_t count) {
  while (count_ > count) {
    const uint32_t pid = pids_[--count_];
    kernel::kill_process(pid, "killed_by_kernel");
    uint32_t which = 0;
    kernel::ExitStatus status;
    kernel::wait_child(pid, kernel::uptime_ns() + kSecond, which, status);
  }
}

uint32_t memory_percent() {
  arch::InterruptGuard guard;
  const FrameStats& s = kernel::frames().stats();
  return s.total == 0 ? 0 : static_cast<uint32_t>(s.used() * 100 / s.total);
}

void MemoryLoad::raise_to(uint64_t percent) {
  for (;;) {
    uint64_t used = 0, total = 0;
    {
      arch::InterruptGuard guard;
      used = kernel::frames().stats().used();
      total = kernel::frames().stats().total;
    }
    if (used * 100 >= total * percent) return;
    // Through the commit accounting, so that no promised user page loses its frame to us.
    uint64_t phys = 0;
    if (!kernel::commit_pages(1)) return;
    if (!kernel::back_committed_page(phys)) {
      kernel::uncommit_pages(1);
      return;
    }
    auto* words = arch::phys_to_virt<uint64_t>(phys);
    words[0] = head_;
    for (size_t i = 1; i < kFrame / 8; ++i) words[i] = frame_pattern(phys, i);
    head_ = phys;
    ++held_;
  }
}

bool MemoryLoad::release() {
  while (held_ > 0) {
    const uint64_t phys = head_;
    const auto* words = arch::phys_to_virt<uint64_t>(phys);
    head_ = words[0];
    for (size_t i = 1; i < kFrame / 8; ++i) {
      if (words[i] != frame_pattern(phys, i)) {
        ++damaged_;
        break;
      }
    }
    kernel::free_frame(phys);
    --held_;
  }
  const bool intact = damaged_ == 0;
  damaged_ = 0;
  return intact;
}

bool DiskLoad::start(uint64_t seed, TextBuffer& error) {
  if (!kernel::virtio_blk_init(error)) return false;
  const uint64_t blocks = kernel::virtio_blk_sectors() / kSectorsPerBlock;
  if (blocks == 0) {
    error.add("the_disk_is_smaller_than_one_4KiB_block");
    return false;
  }
  blocks_ = blocks < kMaxBlocks ? blocks : kMaxBlocks;
  generations_ =
      static_cast<uint32_t*>(kernel::kmalloc(blocks_ * sizeof(uint32_t), kernel::kKernelTag));
  bool buffers = true;
  {
    arch::InterruptGuard guard;
    for (uint64_t& phys : buffer_phys_) buffers = buffers && kernel::frames().allocate(phys);
  }
  if (!generations_ || !buffers) {
    error.add("no_memory_for_the_disk_load");
    stop();
    return false;
  }
  __builtin_memset(generations_, 0, blocks_ * sizeof(uint32_t));
  seed_ = seed;
  random_state_ = seed ^ 0xd15c;
  return true;
}

void DiskLoad::stop() {
  if (generations_) kernel::kfree(generations_);
  for (uint64_t& phys : buffer_phys_) {
    if (phys) kernel::free_frame(phys);
    phys = 0;
  }
  generations_ = nullptr;
  blocks_ = 0;
}

void DiskLoad::begin_level(uint64_t now_ns) {
  level_start_ns_ = now_ns;
  done_ = verified_ = errors_ = 0;
}

uint64_t DiskLoad::level_iops(uint64_t now_ns) const {
  const uint64_t elapsed = now_ns - level_start_ns_;
  return elapsed == 0 ? 0 : done_ * kSecond / elapsed;
}

void DiskLoad::catch_up(uint64_t iops, uint64_t now_ns, uint64_t budget_ns) {
  if (!started() || iops == 0) return;
  const uint64_t owed = (now_ns - level_start_ns_) / 1000 * iops / 1'000'000;
  while (done_ < owed && kernel::uptime_ns() - now_ns < budget_ns) {
    // A batch keeps the device busy with several requests at once; its blocks are distinct,
    // since the device may complete a batch in any order.
    size_t n = owed - done_ < kernel::kBlkMaxBatch ? owed - done_ : kernel::kBlkMaxBatch;
    if (n > blocks_) n = blocks_;
    kernel::BlkOp ops[kernel::kBlkMaxBatch];
    uint64_t chosen[kernel::kBlkMaxBatch];
    for (size_t i = 0; i < n; ++i) {
      uint64_t random = 0;
      bool repeated = true;
      while (repeated) {
        random = splitmix64(random_state_);
        // The modulo's bias is below blocks / 2^63: nothing next to at most 2^18 blocks.
        chosen[i] = (random >> 1) % blocks_;
        repeated = false;
        for (size_t j = 0; j < i; ++j) repeated = repeated || chosen[j] == chosen[i];
      }
      const bool write = random & 1;
      if (write)
        disk_pattern::fill(arch::phys_to_virt<void>(buffer_phys_[i]), chosen[i],
                           generations_[chosen[i]] + 1, seed_);
      ops[i] = kernel::BlkOp{write, chosen[i] * kSectorsPerBlock, buffer_phys_[i], kSectorsPerBlock,
                             kernel::BlkStatus::kOk};
    }
    kernel::virtio_blk_batch(ops, n);
    for (size_t i = 0; i < n; ++i) {
      const bool ok = retry(ops[i]);
      if (ops[i].write) {
        // Unacknowledged, the disk may hold the old or the new block: only a good block of this
        // run is required from now on.
        generations_[chosen[i]] = ok ? generations_[chosen[i]] + 1 : 0;
      } else if (ok) {
        check(chosen[i], buffer_phys_[i]);
      }
    }
    done_ += n;
  }
}

bool DiskLoad::retry(kernel::BlkOp& op) {
  const uint64_t block = op.sector / kSectorsPerBlock;
  for (uint32_t attempt = 1;; ++attempt) {
    if (op.status == kernel::BlkStatus::kOk) return true;
    kernel::emit<markers::kStressIoError>(StringView(op.write ? "write" : "read"), block,
                                          kernel::blk_status_name(op.status), uint64_t{attempt});
    // A device that stopped answering gets no more attempts.
    if (attempt == kAttempts || op.status == kernel::BlkStatus::kTimeout ||
        op.status == kernel::BlkStatus::kNoDevice || op.status == kernel::BlkStatus::kBadAnswer)
      break;
    op.status = op.write ? kernel::virtio_blk_write(op.sector, op.phys, op.sectors)
                         : kernel::virtio_blk_read(op.sector, op.phys, op.sectors);
  }
  ++failed_requests_;
  return false;
}

void DiskLoad::check(uint64_t block, uint64_t phys) {
  const disk_pattern::Check check =
      disk_pattern::verify(arch::phys_to_virt<void>(phys), block, generations_[block], seed_);
  if (check == disk_pattern::Check::kOk || check == disk_pattern::Check::kNeverWritten) {
    ++verified_;
    return;
  }
  ++errors_;
  ++total_errors_;
  kernel::emit<markers::kStressCorruption>(block, StringView(disk_pattern::check_name(check)),
                                           uint64_t{generations_[block]});
}

uint64_t DiskLoad::verify_all(uint64_t& checked) {
  checked = 0;
  const uint64_t before = total_errors_;
  uint64_t block = 0;
  while (block < blocks_) {
    kernel::BlkOp ops[kernel::kBlkMaxBatch];
    uint64_t chosen[kernel::kBlkMaxBatch];
    size_t n = 0;
    for (; block < blocks_ && n < kernel::kBlkMaxBatch; ++block) {
      if (generations_[block] == 0) continue;
      chosen[n] = block;
      ops[n] = kernel::BlkOp{false, block * kSectorsPerBlock, buffer_phys_[n], kSectorsPerBlock,
                             kernel::BlkStatus::kOk};
      ++n;
    }
    kernel::virtio_blk_batch(ops, n);
    for (size_t i = 0; i < n; ++i)
      if (retry(ops[i])) check(chosen[i], buffer_phys_[i]);
    checked += n;
  }
  return total_errors_ - before;
}

}  // namespace rayos::workloads
