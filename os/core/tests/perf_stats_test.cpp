// The perf scenario's arithmetic: sorting, nearest-rank percentiles (checked against a plain
// std::sort and the rank definition), microsecond formatting and sample batches that never
// exceed a marker field.
#include "os/core/perf_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace rayos::perf {
namespace {

TEST(PerfStats, SortsLikeStdSort) {
  std::mt19937_64 rng(7);
  for (size_t n : {0u, 1u, 2u, 3u, 17u, 1000u, 4097u}) {
    std::vector<uint64_t> v(n);
    for (auto& x : v) x = rng() % 1000;  // duplicates on purpose
    std::vector<uint64_t> expected = v;
    std::sort(expected.begin(), expected.end());
    sort(v.data(), v.size());
    EXPECT_EQ(v, expected) << n;
  }
}

TEST(PerfStats, NearestRank) {
  std::vector<uint64_t> v;
  for (uint64_t i = 1; i <= 1000; ++i) v.push_back(i * 10);
  EXPECT_EQ(nearest_rank(v.data(), v.size(), 500), 5000u);
  EXPECT_EQ(nearest_rank(v.data(), v.size(), 990), 9900u);
  EXPECT_EQ(nearest_rank(v.data(), v.size(), 999), 9990u);
  EXPECT_EQ(nearest_rank(v.data(), v.size(), 1000), 10000u);
  EXPECT_EQ(nearest_rank(v.data(), v.size(), 0), 10u);
  const uint64_t three[] = {1, 2, 3};
  EXPECT_EQ(nearest_rank(three, 3, 500), 2u);  // ceil(1.5) = rank 2
  EXPECT_EQ(nearest_rank(three, 3, 990), 3u);
  const uint64_t one[] = {42};
  EXPECT_EQ(nearest_rank(one, 1, 999), 42u);
}

std::string us(uint64_t ns) {
  char out[kMaxUsChars];
  return std::string(out, format_us(ns, out));
}

TEST(PerfStats, FormatsMicrosecondsWithThreeDecimals) {
  EXPECT_EQ(us(0), "0.000");
  EXPECT_EQ(us(80), "0.080");
  EXPECT_EQ(us(12345), "12.345");
  EXPECT_EQ(us(1000000), "1000.000");
  EXPECT_EQ(us(UINT64_MAX), "18446744073709551.615");
}

TEST(PerfStats, BatchesFillUpToCapacityAndRoundTrip) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> values(500), seen;
  for (auto& x : values) x = rng() % 100'000'000;
  SampleBatch batch;
  auto flush = [&] {
    std::string text(batch.view().data(), batch.view().size());
    EXPECT_LE(text.size(), SampleBatch::kCapacity);
    size_t count = 0;
    for (size_t pos = 0; pos <= text.size();) {
      size_t comma = text.find(',', pos);
      if (comma == std::string::npos) comma = text.size();
      seen.push_back(std::stoull(text.substr(pos, comma - pos)));
      ++count;
      pos = comma + 1;
    }
    EXPECT_EQ(count, batch.count());
    batch.clear();
  };
  for (uint64_t v : values) {
    if (!batch.add(v)) {
      EXPECT_GT(batch.count(), 5u);  // a batch is not flushed half empty
      flush();
      ASSERT_TRUE(batch.add(v));
    }
  }
  flush();
  EXPECT_EQ(seen, values);
  SampleBatch max;
  size_t n = 0;
  while (max.add(UINT64_MAX)) ++n;
  EXPECT_EQ(n, (SampleBatch::kCapacity + 1) / 21);  // 20 digits and a comma each
}

}  // namespace
}  // namespace rayos::perf
