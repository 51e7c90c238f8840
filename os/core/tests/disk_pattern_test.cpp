#include "os/core/disk_pattern.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "os/core/crc32c.h"

namespace rayos::disk_pattern {
namespace {

std::vector<uint8_t> block(uint64_t lba, uint32_t gen, uint64_t seed) {
  std::vector<uint8_t> b(kBlockSize);
  fill(b.data(), lba, gen, seed);
  return b;
}

TEST(DiskPattern, AWrittenBlockVerifies) {
  const auto b = block(17, 3, 42);
  EXPECT_EQ(verify(b.data(), 17, 3, 42), Check::kOk);
  EXPECT_EQ(verify(b.data(), 17, 0, 42), Check::kOk);  // written before a restart
}

TEST(DiskPattern, EveryKindOfDamageIsNamed) {
  const auto good = block(17, 3, 42);
  EXPECT_EQ(verify(good.data(), 18, 3, 42), Check::kWrongBlock);
  EXPECT_EQ(verify(good.data(), 17, 4, 42), Check::kWrongGeneration);  // a lost write
  EXPECT_EQ(verify(good.data(), 17, 3, 43), Check::kWrongSeed);

  auto flipped = good;
  flipped[kBlockSize - 1] ^= 1;
  EXPECT_EQ(verify(flipped.data(), 17, 3, 42), Check::kBadCrc);

  auto torn = good;
  std::memset(torn.data() + 2048, 0, 2048);
  EXPECT_EQ(verify(torn.data(), 17, 3, 42), Check::kBadCrc);

  std::vector<uint8_t> zero(kBlockSize);
  EXPECT_EQ(verify(zero.data(), 17, 0, 42), Check::kNeverWritten);
  EXPECT_EQ(verify(zero.data(), 17, 1, 42), Check::kBadMagic);  // an acknowledged write vanished

  // A header restamped over another generation's payload, with a CRC that fits.
  auto restamped = block(17, 2, 42);
  auto* h = reinterpret_cast<Header*>(restamped.data());
  h->generation = 3;
  h->crc = crc32c(restamped.data() + 8, kBlockSize - 8);
  EXPECT_EQ(verify(restamped.data(), 17, 3, 42), Check::kBadPayload);
}

TEST(DiskPattern, PayloadDependsOnBlockGenerationAndSeed) {
  const auto a = block(1, 1, 42);
  EXPECT_NE(a, block(2, 1, 42));
  EXPECT_NE(a, block(1, 2, 42));
  EXPECT_NE(a, block(1, 1, 43));
  EXPECT_EQ(a, block(1, 1, 42));
}

TEST(DiskPattern, CheckNamesAreMarkerWords) {
  for (Check c :
       {Check::kOk, Check::kNeverWritten, Check::kBadMagic, Check::kBadCrc, Check::kBadPayload,
        Check::kWrongBlock, Check::kWrongSeed, Check::kWrongGeneration}) {
    const std::string name = check_name(c);
    EXPECT_FALSE(name.empty());
    EXPECT_EQ(name.find_first_of(": #"), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace rayos::disk_pattern
