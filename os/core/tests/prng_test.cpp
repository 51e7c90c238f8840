#include "os/core/prng.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

namespace rayos {
namespace {

TEST(RayosPrng, SplitMix64ReferenceValues) {
  // First outputs of splitmix64 seeded with 0, from Vigna's reference implementation.
  uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xe220a8397b1dcdafull);
  EXPECT_EQ(splitmix64(state), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(splitmix64(state), 0x06c45d188009454full);
}

TEST(RayosPrng, SameSeedSameStream) {
  Prng a(42), b(42);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(a.next(), b.next()) << i;
}

TEST(RayosPrng, DifferentSeedsDiffer) {
  Prng a(42), b(43);
  int same = 0;
  for (int i = 0; i < 1000; ++i) same += a.next() == b.next();
  EXPECT_EQ(same, 0);
}

TEST(RayosPrng, SeedZeroIsUsable) {
  Prng p(0);
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(p.next());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RayosPrng, BitsAreBalanced) {
  Prng p(7);
  constexpr int kDraws = 100000;
  std::array<int, 64> ones{};
  for (int i = 0; i < kDraws; ++i) {
    uint64_t x = p.next();
    for (int b = 0; b < 64; ++b) ones[b] += (x >> b) & 1;
  }
  // Each bit is Binomial(n, 1/2): sd = sqrt(n)/2 = 158; 6 sd is a bound a good generator never
  // hits by chance, a broken bit always.
  for (int b = 0; b < 64; ++b) EXPECT_NEAR(ones[b], kDraws / 2, 6 * 158) << "bit " << b;
}

TEST(RayosPrng, BelowIsUniformChiSquare) {
  Prng p(1234);
  constexpr uint64_t kBuckets = 10;
  constexpr int kDraws = 100000;
  std::array<int, kBuckets> counts{};
  for (int i = 0; i < kDraws; ++i) {
    uint64_t x = p.below(kBuckets);
    ASSERT_LT(x, kBuckets);
    ++counts[x];
  }
  double expected = double(kDraws) / kBuckets, chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  // 9 degrees of freedom: P(chi2 > 27.88) = 0.001.
  EXPECT_LT(chi2, 27.88);
}

TEST(RayosPrng, BelowEdgeCases) {
  Prng p(5);
  EXPECT_EQ(p.below(0), 0u);
  EXPECT_EQ(p.below(1), 0u);
  uint64_t big = (uint64_t{1} << 63) + 1;  // worst case for rejection: about half rejected
  for (int i = 0; i < 1000; ++i) EXPECT_LT(p.below(big), big);
}

TEST(RayosPrng, ChanceMatchesProbability) {
  Prng p(99);
  int hits = 0;
  for (int i = 0; i < 100000; ++i) hits += p.chance(1, 4);
  EXPECT_NEAR(hits, 25000, 6 * 137);  // sd = sqrt(n p (1-p)) = 137
}

}  // namespace
}  // namespace rayos
