#include "os/core/crc32c.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace rayos {
namespace {

// Bit-at-a-time reference, written from the definition (reflected polynomial 0x82F63B78).
uint32_t reference_crc32c(const std::vector<uint8_t>& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
  }
  return ~crc;
}

TEST(RayosCrc32c, CheckVector) { EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u); }

TEST(RayosCrc32c, Rfc3720Vectors) {
  // iSCSI (RFC 3720 B.4): 32 bytes of zeros, of 0xFF, and ascending 0..31.
  std::vector<uint8_t> zeros(32, 0), ones(32, 0xFF), ascending(32);
  for (int i = 0; i < 32; ++i) ascending[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones.data(), ones.size()), 0x62A8AB43u);
  EXPECT_EQ(crc32c(ascending.data(), ascending.size()), 0x46DD794Eu);
}

TEST(RayosCrc32c, EmptyIsZero) { EXPECT_EQ(crc32c("", 0), 0u); }

TEST(RayosCrc32c, MatchesBitwiseReferenceAtEveryLengthAndAlignment) {
  std::vector<uint8_t> data(300);
  uint32_t x = 12345;
  for (auto& b : data) b = static_cast<uint8_t>((x = x * 1103515245u + 12345u) >> 24);
  for (size_t offset = 0; offset < 8; ++offset)
    for (size_t len = 0; len + offset <= data.size(); len += 7) {
      std::vector<uint8_t> slice(data.begin() + offset, data.begin() + offset + len);
      ASSERT_EQ(crc32c(data.data() + offset, len), reference_crc32c(slice))
          << "offset " << offset << " len " << len;
    }
}

TEST(RayosCrc32c, ExtendsAcrossChunks) {
  const std::string text = "RAYOS_SYS:HEARTBEAT:1000";
  uint32_t whole = crc32c(text.data(), text.size());
  for (size_t split = 0; split <= text.size(); ++split)
    EXPECT_EQ(crc32c(text.data() + split, text.size() - split, crc32c(text.data(), split)), whole);
}

}  // namespace
}  // namespace rayos
