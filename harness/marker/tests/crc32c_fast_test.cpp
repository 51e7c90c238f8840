#include "harness/marker/crc32c_fast.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "os/core/crc32c.h"

namespace osh::marker {
namespace {

TEST(Crc32c, CheckValue) {
  EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);  // the CRC-32C check value
  EXPECT_EQ(crc32c("", 0), 0u);
}

TEST(Crc32c, HardwareMatchesPortableAtEveryLengthAndAlignment) {
  if (!has_hw_crc32c()) GTEST_SKIP() << "this CPU has no SSE4.2";
  std::mt19937 rng(1234);
  std::string data(300, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t len = 0; offset + len <= data.size(); ++len) {
      ASSERT_EQ(crc32c_hw(data.data() + offset, len), rayos::crc32c(data.data() + offset, len))
          << offset << " " << len;
    }
  }
  // Chaining: the CRC of a whole equals the CRC extended over its second part.
  const uint32_t first = crc32c_hw(data.data(), 100);
  EXPECT_EQ(crc32c_hw(data.data() + 100, 200, first), rayos::crc32c(data.data(), 300));
}

TEST(Crc32c, HardwareContinuesFromAnyRegisterAtEveryLength) {
  if (!has_hw_crc32c()) GTEST_SKIP() << "this CPU has no SSE4.2";
  // The first 1 to 8 bytes of a run of 8 or more fold the register in: every split point of
  // every length below 80 starts the second part from another register value.
  std::mt19937 rng(99);
  std::string data(80, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  for (size_t len = 0; len <= data.size(); ++len) {
    for (size_t split = 0; split <= len; ++split) {
      const uint32_t head = crc32c_hw(data.data(), split);
      ASSERT_EQ(crc32c_hw(data.data() + split, len - split, head), rayos::crc32c(data.data(), len))
          << split << " " << len;
    }
  }
}

TEST(Crc32c, DispatchedMatchesPortable) {
  const std::string s = "RAYOS_SOAK:METRICS_SNAPSHOT:12.5:2048:350:59.9";
  EXPECT_EQ(crc32c(s.data(), s.size()), rayos::crc32c(s.data(), s.size()));
  EXPECT_EQ(crc32c_portable(s.data(), s.size()), rayos::crc32c(s.data(), s.size()));
}

}  // namespace
}  // namespace osh::marker
