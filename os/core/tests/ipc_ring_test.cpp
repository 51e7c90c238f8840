#include "os/core/ipc_ring.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace rayos {
namespace {

std::string str(StringView v) { return std::string(v.data(), v.size()); }

class IpcRingTest : public ::testing::Test {
 protected:
  IpcRing* make(size_t capacity) {
    memory_.assign(IpcRing::bytes_for(capacity) / 8 + 1, 0);
    return IpcRing::create(memory_.data(), capacity);
  }
  uint8_t* raw() { return reinterpret_cast<uint8_t*>(memory_.data()); }
  std::string pop(IpcRing* ring, IpcResult expect = IpcResult::kOk) {
    char buffer[IpcRing::kMaxMessage];
    size_t size = 0;
    EXPECT_EQ(ring->pop(buffer, sizeof buffer, size), expect);
    return std::string(buffer, expect == IpcResult::kOk ? size : 0);
  }

  std::vector<uint64_t> memory_;
};

TEST_F(IpcRingTest, CreateChecksTheCapacity) {
  EXPECT_EQ(IpcRing::bytes_for(0), 0u);
  EXPECT_EQ(IpcRing::bytes_for(IpcRing::kMaxCapacity + 1), 0u);
  EXPECT_GT(IpcRing::bytes_for(1), 64u);
  memory_.assign(1024, 0);
  EXPECT_EQ(IpcRing::create(memory_.data(), 0), nullptr);
  EXPECT_EQ(IpcRing::create(nullptr, 4), nullptr);
  IpcRing* ring = make(4);
  ASSERT_NE(ring, nullptr);
  EXPECT_EQ(ring->capacity(), 4u);
  EXPECT_EQ(ring->count(), 0u);
  EXPECT_EQ(ring->check(), IpcResult::kOk);
}

TEST_F(IpcRingTest, FifoAcrossWrapAround) {
  IpcRing* ring = make(3);
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 10; ++round) {
    while (ring->count() < 3) {
      std::string m = "message-" + std::to_string(next_in++);
      ASSERT_EQ(ring->push(m.data(), m.size()), IpcResult::kOk);
    }
    EXPECT_EQ(ring->push("x", 1), IpcResult::kFull);
    for (int k = 0; k < 2; ++k) EXPECT_EQ(pop(ring), "message-" + std::to_string(next_out++));
  }
  while (ring->count() > 0) EXPECT_EQ(pop(ring), "message-" + std::to_string(next_out++));
  EXPECT_EQ(next_in, next_out);
  pop(ring, IpcResult::kEmpty);
}

TEST_F(IpcRingTest, EmptyAndMaximalMessages) {
  IpcRing* ring = make(2);
  std::string big(IpcRing::kMaxMessage, 'z');
  EXPECT_EQ(ring->push(nullptr, 0), IpcResult::kOk);
  EXPECT_EQ(ring->push(big.data(), big.size()), IpcResult::kOk);
  EXPECT_EQ(pop(ring), "");
  EXPECT_EQ(pop(ring), big);
  std::string too_big(IpcRing::kMaxMessage + 1, 'z');
  EXPECT_EQ(ring->push(too_big.data(), too_big.size()), IpcResult::kTooBig);
  EXPECT_EQ(ring->count(), 0u);
}

TEST_F(IpcRingTest, ASmallBufferLeavesTheMessageQueued) {
  IpcRing* ring = make(2);
  ASSERT_EQ(ring->push("0123456789", 10), IpcResult::kOk);
  char small[4];
  size_t size = 0;
  EXPECT_EQ(ring->pop(small, sizeof small, size), IpcResult::kTooBig);
  EXPECT_EQ(ring->count(), 1u);
  EXPECT_EQ(pop(ring), "0123456789");
}

// Each kind of damage is found, named, and makes every operation refuse.
struct Damage {
  const char* name;
  size_t offset;  // byte in the ring's memory
  const char* reason;
};

class IpcRingDamage : public IpcRingTest, public ::testing::WithParamInterface<Damage> {};

TEST_P(IpcRingDamage, IsDetectedAndNamed) {
  IpcRing* ring = make(4);
  ASSERT_EQ(ring->push("first", 5), IpcResult::kOk);
  ASSERT_EQ(ring->push("second", 6), IpcResult::kOk);
  raw()[GetParam().offset] ^= 0x40;
  StringView reason;
  EXPECT_EQ(ring->check(&reason), IpcResult::kCorrupt);
  EXPECT_EQ(str(reason), GetParam().reason);
  pop(ring, IpcResult::kCorrupt);
}

// Header: magic @0, capacity @8, ~capacity @16, head @24, tail @32; slots from 40: size, crc,
// data.
INSTANTIATE_TEST_SUITE_P(
    AllFields, IpcRingDamage,
    ::testing::Values(Damage{"magic", 3, "bad_magic"}, Damage{"capacity", 8, "bad_capacity"},
                      Damage{"capacity_check", 17, "bad_capacity"},
                      Damage{"head", 24, "bad_indices"}, Damage{"tail", 32, "bad_indices"},
                      Damage{"size", 40, "bad_message_size"}, Damage{"crc", 44, "bad_message_crc"},
                      Damage{"data", 48, "bad_message_crc"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(IpcRingTest, DamageToALaterMessageIsFoundWhenItIsReached) {
  IpcRing* ring = make(4);
  ASSERT_EQ(ring->push("first", 5), IpcResult::kOk);
  ASSERT_EQ(ring->push("second", 6), IpcResult::kOk);
  raw()[40 + 72 + 8] ^= 1;  // second slot's data
  EXPECT_EQ(pop(ring), "first");
  pop(ring, IpcResult::kCorrupt);
  EXPECT_EQ(ring->push("third", 5), IpcResult::kOk);  // the header is still sound
}

TEST_F(IpcRingTest, AStaleSlotFailsItsSequenceCheck) {
  IpcRing* ring = make(2);
  ASSERT_EQ(ring->push("aa", 2), IpcResult::kOk);  // sequence 0, slot 0
  ASSERT_EQ(ring->push("bb", 2), IpcResult::kOk);  // sequence 1, slot 1
  EXPECT_EQ(pop(ring), "aa");
  EXPECT_EQ(pop(ring), "bb");
  // A head that moves on by itself makes slot 0 current again as sequence 2: its bytes and CRC
  // are intact, but they were stamped for sequence 0.
  uint64_t head = 3;
  std::memcpy(raw() + 24, &head, 8);
  StringView reason;
  EXPECT_EQ(ring->check(&reason), IpcResult::kCorrupt);
  EXPECT_EQ(str(reason), "bad_message_crc");
}

}  // namespace
}  // namespace rayos
