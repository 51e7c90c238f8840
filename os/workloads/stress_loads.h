#pragma once
// The stress scenario's load generators (os/workloads/stress.cpp drives them level by level).
//   CpuLoad:    busy ring-3 processes (`spinner 0`, no CPU-time limit), killed at the level's end.
//   MemoryLoad: frames taken through the kernel's commit accounting until a share of all usable
//               frames is in use, each filled with a pattern that is checked when it is given back.
//   DiskLoad:   random 4 KiB block reads and writes against the virtio-blk disk at a target rate;
//               every write is a self-describing block (os/core/disk_pattern.h), every read is
//               verified against the generation of the block's last acknowledged write.
#include <stddef.h>
#include <stdint.h>

#include "os/core/text_buffer.h"
#include "os/kernel/virtio_blk.h"

namespace rayos::workloads {

class CpuLoad {
 public:
  static constexpr size_t kMaxProcs = 32;
  // Runs `count` spinners (beyond those running, or kills the extra ones). False with a reason
  // when a spawn was refused.
  bool set(size_t count, TextBuffer& error);
  void stop() { set_count_down(0); }
  size_t running() const { return count_; }

 private:
  void set_count_down(size_t count);
  uint32_t pids_[kMaxProcs] = {};
  size_t count_ = 0;
};

class MemoryLoad {
 public:
  // Takes frames until `percent` of the usable frames are in use (or the commit reserve is hit).
  void raise_to(uint64_t percent);
  // Gives every frame back; false if one of them lost its pattern.
  bool release();

 private:
  uint64_t head_ = 0;  // the frames form a list: each frame's first word is the next's address
  uint64_t held_ = 0;
  uint64_t damaged_ = 0;
};

// Memory in use now, in percent of the usable frames (the allocator's own count).
uint32_t memory_percent();

class DiskLoad {
 public:
  // Finds the disk, allocates the block buffer and the generation table. False with a reason.
  bool start(uint64_t seed, TextBuffer& error);
  bool started() const { return blocks_ != 0; }
  uint64_t blocks() const { return blocks_; }

  // Issues the requests owed at `iops` since begin_level() up to `now_ns`, for at most
  // `budget_ns` (a disk slower than the target shows as missing IOPS, not as a starved caller).
  void begin_level(uint64_t now_ns);
  void catch_up(uint64_t iops, uint64_t now_ns, uint64_t budget_ns);
  // Completed requests per second since begin_level(), blocks verified and failed this level.
  uint64_t level_iops(uint64_t now_ns) const;
  uint64_t level_verified() const { return verified_; }
  uint64_t level_errors() const { return errors_; }

  // Reads back every block written in this run; returns the number that failed.
  uint64_t verify_all(uint64_t& checked);
  // Verification failures and requests that failed for good, over the whole run.
  uint64_t total_errors() const { return total_errors_; }
  uint64_t failed_requests() const { return failed_requests_; }
  void stop();

 private:
  // Retries a failed request (STRESS:IO_ERROR per failure) up to kAttempts in all; false if it
  // failed for good.
  bool retry(kernel::BlkOp& op);
  // Verifies the block read into `phys` (STRESS:CORRUPTION on a mismatch).
  void check(uint64_t block, uint64_t phys);

  uint64_t seed_ = 0;
  uint64_t random_state_ = 0;  // splitmix64: Prng has no constant initializer for a constinit run
  uint64_t blocks_ = 0;
  uint32_t* generations_ = nullptr;  // last acknowledged write per block; 0: none in this run
  uint64_t buffer_phys_[kernel::kBlkMaxBatch] = {};  // one 4 KiB frame per request of a batch
  uint64_t level_start_ns_ = 0;
  uint64_t done_ = 0;  // requests issued this level
  uint64_t verified_ = 0;
  uint64_t errors_ = 0;
  uint64_t total_errors_ = 0;
  uint64_t failed_requests_ = 0;
};

}  // namespace rayos::workloads
