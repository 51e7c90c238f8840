#pragma once
// Physical memory for host tests: frames at made-up physical addresses, backed by host memory,
// with a budget so that running out can be tested, and a record of every frame handed out.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

#include "os/core/page_map.h"

namespace rayos::testing {

class FakeFrames final : public FrameProvider {
 public:
  static constexpr uint64_t kBase = 0x200000;

  explicit FakeFrames(size_t budget = SIZE_MAX) : budget_(budget) {}

  bool allocate_frame(uint64_t& phys) override {
    if (live_.size() >= budget_) return false;
    phys = next_;
    next_ += PageMap::kPageSize;
    auto memory = std::make_unique<uint8_t[]>(PageMap::kPageSize);
    std::memset(memory.get(), 0, PageMap::kPageSize);
    live_[phys] = std::move(memory);
    return true;
  }
  void free_frame(uint64_t phys) override {
    EXPECT_EQ(live_.erase(phys), 1u) << "free of a frame not allocated: 0x" << std::hex << phys;
  }
  void* frame_pointer(uint64_t phys) override {
    auto it = live_.find(phys & ~uint64_t{0xfff});
    if (it == live_.end()) {
      ADD_FAILURE() << "access to a frame not allocated: 0x" << std::hex << phys;
      return scratch_;
    }
    return it->second.get() + (phys & 0xfff);
  }

  size_t live() const { return live_.size(); }
  void set_budget(size_t budget) { budget_ = budget; }

 private:
  size_t budget_;
  uint64_t next_ = kBase;
  std::map<uint64_t, std::unique_ptr<uint8_t[]>> live_;
  alignas(4096) uint8_t scratch_[4096] = {};
};

}  // namespace rayos::testing
