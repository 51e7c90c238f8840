#include "os/core/virtqueue.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace rayos {
namespace {

// The device side of a split virtqueue over the test's memory: device addresses are offsets
// from kBase into `area`, as a device would see guest-physical memory.
constexpr uint64_t kBase = 0x100000;

class FakeDevice {
 public:
  FakeDevice(std::vector<uint8_t>& area, const Virtqueue& q) : area_(area), q_(q) {}

  template <typename T>
  T* at(uint64_t device_addr) {
    EXPECT_GE(device_addr, kBase);
    EXPECT_LE(device_addr - kBase + sizeof(T), area_.size());
    return reinterpret_cast<T*>(area_.data() + (device_addr - kBase));
  }
  uint16_t avail_idx() { return at<uint16_t>(q_.avail_addr())[1]; }
  uint16_t avail_ring(uint16_t i) { return at<uint16_t>(q_.avail_addr())[2 + (i % q_.size())]; }
  VirtqDesc desc(uint16_t i) { return at<VirtqDesc>(q_.desc_addr())[i]; }

  // Walks the chain starting at `head` as a device does (following kNext).
  std::vector<VirtqDesc> chain(uint16_t head) {
    std::vector<VirtqDesc> out;
    uint16_t i = head;
    for (;;) {
      EXPECT_LT(i, q_.size());
      out.push_back(desc(i));
      if (!(out.back().flags & virtq_flags::kNext) || out.size() > q_.size()) break;
      i = out.back().next;
    }
    return out;
  }
  // Takes the next available chain (false when the driver published none).
  bool next_available(uint16_t& head) {
    if (seen_ == avail_idx()) return false;
    head = avail_ring(seen_++);
    return true;
  }
  void complete(uint32_t id, uint32_t len) {
    auto* used = at<uint8_t>(q_.used_addr());
    auto* ring = reinterpret_cast<VirtqUsedElem*>(used + 4);
    uint16_t& idx = *reinterpret_cast<uint16_t*>(used + 2);
    ring[idx % q_.size()] = VirtqUsedElem{id, len};
    ++idx;
  }

 private:
  std::vector<uint8_t>& area_;
  const Virtqueue& q_;
  uint16_t seen_ = 0;
};

struct Fixture {
  explicit Fixture(uint16_t size, size_t align = 4096)
      : area(Virtqueue::bytes_needed(size, align)) {
    ok = q.init(area.data(), kBase, size, align);
  }
  std::vector<uint8_t> area;
  Virtqueue q;
  bool ok = false;
};

TEST(Virtqueue, LegacyLayoutPutsTheUsedRingOnTheNextAlignedBoundary) {
  // Legacy virtio: descriptors 16 * 8, available ring 2 * (3 + 8), used ring at 4096.
  EXPECT_EQ(Virtqueue::bytes_needed(8, 4096), 4096u + 6 + 8 * 8);
  Fixture f(8);
  ASSERT_TRUE(f.ok);
  EXPECT_EQ(f.q.desc_addr(), kBase);
  EXPECT_EQ(f.q.avail_addr(), kBase + 16 * 8);
  EXPECT_EQ(f.q.used_addr(), kBase + 4096);
  // A queue of 256 needs more than a page before its used ring.
  EXPECT_EQ(Virtqueue::bytes_needed(256, 4096), 8192u + 6 + 8 * 256);
}

TEST(Virtqueue, RejectsSizesThatAreNotPowersOfTwo) {
  std::vector<uint8_t> area(16384);
  Virtqueue q;
  EXPECT_FALSE(q.init(area.data(), kBase, 0, 4096));
  EXPECT_FALSE(q.init(area.data(), kBase, 6, 4096));
  EXPECT_FALSE(q.init(area.data(), kBase, 512, 4096));
  EXPECT_FALSE(q.init(area.data(), kBase, 8, 3000));
  EXPECT_TRUE(q.init(area.data(), kBase, 1, 4));
}

TEST(Virtqueue, BlockRequestChainIsWhatTheDeviceReads) {
  Fixture f(8);
  ASSERT_TRUE(f.ok);
  VirtqBuffer chain[3];
  virtio_blk::build_request(false, 0x2000, 0x3000, 4096, 0x2010, chain);
  const int32_t head = f.q.add_chain(chain, 3);
  ASSERT_GE(head, 0);
  EXPECT_EQ(f.q.free_descriptors(), 5);
  FakeDevice dev(f.area, f.q);
  uint16_t seen = 0;
  ASSERT_TRUE(dev.next_available(seen));
  EXPECT_EQ(seen, head);
  const auto descs = dev.chain(seen);
  ASSERT_EQ(descs.size(), 3u);
  EXPECT_EQ(descs[0].addr, 0x2000u);
  EXPECT_EQ(descs[0].len, sizeof(virtio_blk::RequestHeader));
  EXPECT_EQ(descs[0].flags, virtq_flags::kNext);  // the device reads the header
  EXPECT_EQ(descs[1].addr, 0x3000u);
  EXPECT_EQ(descs[1].len, 4096u);
  EXPECT_EQ(descs[1].flags, virtq_flags::kNext | virtq_flags::kWrite);  // a read fills the data
  EXPECT_EQ(descs[2].addr, 0x2010u);
  EXPECT_EQ(descs[2].len, 1u);
  EXPECT_EQ(descs[2].flags, virtq_flags::kWrite);  // status, the end of the chain
  EXPECT_EQ(sizeof(virtio_blk::RequestHeader), 16u);

  virtio_blk::build_request(true, 0x2000, 0x3000, 512, 0x2010, chain);
  EXPECT_FALSE(chain[1].device_writes);  // a write's data is read by the device
}

TEST(Virtqueue, CompletionFreesTheChainAndReportsItsLength) {
  Fixture f(4);
  ASSERT_TRUE(f.ok);
  FakeDevice dev(f.area, f.q);
  uint32_t head = 0, len = 0;
  EXPECT_EQ(f.q.pop_used(head, len), VirtqPop::kEmpty);
  const VirtqBuffer two[2] = {{0x10, 1, false}, {0x20, 2, true}};
  const int32_t a = f.q.add_chain(two, 2);
  const int32_t b = f.q.add_chain(two, 2);
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  EXPECT_NE(a, b);
  EXPECT_EQ(f.q.add_chain(two, 1), -1);  // full: all four descriptors are in flight
  EXPECT_EQ(f.q.in_flight(), 4);
  // The device may complete out of order.
  dev.complete(static_cast<uint32_t>(b), 2);
  ASSERT_EQ(f.q.pop_used(head, len), VirtqPop::kCompleted);
  EXPECT_EQ(head, static_cast<uint32_t>(b));
  EXPECT_EQ(len, 2u);
  EXPECT_EQ(f.q.free_descriptors(), 2);
  EXPECT_EQ(f.q.pop_used(head, len), VirtqPop::kEmpty);
  dev.complete(static_cast<uint32_t>(a), 7);
  ASSERT_EQ(f.q.pop_used(head, len), VirtqPop::kCompleted);
  EXPECT_EQ(head, static_cast<uint32_t>(a));
  EXPECT_EQ(f.q.free_descriptors(), 4);
}

TEST(Virtqueue, AnIdThatIsNotInFlightIsReportedNotFreed) {
  Fixture f(4);
  ASSERT_TRUE(f.ok);
  FakeDevice dev(f.area, f.q);
  const VirtqBuffer one[1] = {{0x10, 1, true}};
  const int32_t a = f.q.add_chain(one, 1);
  ASSERT_GE(a, 0);
  uint32_t head = 0, len = 0;
  dev.complete(static_cast<uint32_t>(a) + 1, 0);  // never published
  EXPECT_EQ(f.q.pop_used(head, len), VirtqPop::kBadUsed);
  dev.complete(99, 0);  // beyond the table
  EXPECT_EQ(f.q.pop_used(head, len), VirtqPop::kBadUsed);
  EXPECT_EQ(f.q.free_descriptors(), 3);  // the real request is still in flight
  dev.complete(static_cast<uint32_t>(a), 1);
  EXPECT_EQ(f.q.pop_used(head, len), VirtqPop::kCompleted);
  dev.complete(static_cast<uint32_t>(a), 1);  // completed twice
  EXPECT_EQ(f.q.pop_used(head, len), VirtqPop::kBadUsed);
  EXPECT_EQ(f.q.free_descriptors(), 4);
}

TEST(Virtqueue, IndicesWrapPast65535WithoutLosingARequest) {
  Fixture f(8);
  ASSERT_TRUE(f.ok);
  FakeDevice dev(f.area, f.q);
  VirtqBuffer chain[3];
  for (uint32_t i = 0; i < 70000; ++i) {
    virtio_blk::build_request(i % 2, 0x1000 + i, 0x2000, 512, 0x3000, chain);
    const int32_t head = f.q.add_chain(chain, 3);
    ASSERT_GE(head, 0) << "request " << i;
    uint16_t seen = 0;
    ASSERT_TRUE(dev.next_available(seen)) << "request " << i;
    ASSERT_EQ(seen, head);
    ASSERT_EQ(dev.chain(seen).at(0).addr, 0x1000u + i);
    dev.complete(seen, 1);
    uint32_t done = 0, len = 0;
    ASSERT_EQ(f.q.pop_used(done, len), VirtqPop::kCompleted) << "request " << i;
    ASSERT_EQ(done, static_cast<uint32_t>(head));
  }
  EXPECT_EQ(f.q.free_descriptors(), 8);
  EXPECT_EQ(dev.avail_idx(), static_cast<uint16_t>(70000));
}

}  // namespace
}  // namespace rayos
