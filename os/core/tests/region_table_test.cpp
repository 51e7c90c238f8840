#include "os/core/region_table.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace rayos {
namespace {

constexpr uint64_t kPage = RegionTable::kPageSize;
constexpr uint64_t kLow = 0x1000000000;
constexpr uint64_t kHigh = 0x2000000000;
const Region kMapShape{0, 0, RegionKind::kMap, true, false};

TEST(RegionTable, ReservesAtTheLowestAddressWithGuardPages) {
  RegionTable table;
  uint64_t a = 0, b = 0, c = 0;
  ASSERT_TRUE(table.reserve_anywhere(4, kLow, kHigh, kMapShape, a));
  ASSERT_TRUE(table.reserve_anywhere(2, kLow, kHigh, kMapShape, b));
  EXPECT_EQ(a, kLow);
  EXPECT_EQ(b, kLow + 5 * kPage);  // one unmapped page between the two
  Region removed{};
  ASSERT_TRUE(table.remove(a, 4, removed));
  EXPECT_EQ(removed.base, a);
  EXPECT_EQ(removed.kind, RegionKind::kMap);
  ASSERT_TRUE(table.reserve_anywhere(3, kLow, kHigh, kMapShape, c));
  EXPECT_EQ(c, kLow);  // fits the hole: 3 pages + guard before b
  uint64_t d = 0;
  ASSERT_TRUE(table.reserve_anywhere(2, kLow, kHigh, kMapShape, d));
  EXPECT_EQ(d, b + 3 * kPage);  // the hole left is too small for 2 + guard
  EXPECT_EQ(table.total_pages(), 7u);
}

TEST(RegionTable, FindCoversExactlyTheRegion) {
  RegionTable table;
  ASSERT_TRUE(table.reserve_at({0x400000, 2, RegionKind::kImage, false, true}));
  EXPECT_EQ(table.find(0x3fffff), nullptr);
  ASSERT_NE(table.find(0x400000), nullptr);
  EXPECT_TRUE(table.find(0x401fff)->executable);
  EXPECT_EQ(table.find(0x402000), nullptr);
}

TEST(RegionTable, ReserveAtRefusesOverlapsAndBadShapes) {
  RegionTable table;
  ASSERT_TRUE(table.reserve_at({0x400000, 4, RegionKind::kImage, false, true}));
  EXPECT_FALSE(table.reserve_at({0x403000, 1, RegionKind::kMap, true, false}));
  EXPECT_FALSE(table.reserve_at({0x3ff000, 2, RegionKind::kMap, true, false}));
  EXPECT_FALSE(table.reserve_at({0x500000, 0, RegionKind::kMap, true, false}));
  EXPECT_FALSE(table.reserve_at({0x500001, 1, RegionKind::kMap, true, false}));
  EXPECT_FALSE(table.reserve_at({0x500000, UINT64_MAX / 2, RegionKind::kMap, true, false}));
  EXPECT_TRUE(table.reserve_at({0x404000, 1, RegionKind::kMap, true, false}));  // adjacent is ok
  EXPECT_EQ(table.count(), 2u);
  EXPECT_EQ(table.at(0).base, 0x400000u);
  EXPECT_EQ(table.at(1).base, 0x404000u);
}

TEST(RegionTable, ReserveAnywhereRefusesWhatCannotFit) {
  RegionTable table;
  uint64_t base = 0;
  EXPECT_FALSE(table.reserve_anywhere(0, kLow, kHigh, kMapShape, base));
  EXPECT_FALSE(table.reserve_anywhere(1, kLow + 1, kHigh, kMapShape, base));
  EXPECT_FALSE(table.reserve_anywhere(1, kHigh, kLow, kMapShape, base));
  EXPECT_FALSE(table.reserve_anywhere(UINT64_MAX, kLow, kHigh, kMapShape, base));
  EXPECT_FALSE(table.reserve_anywhere(1, 0, UINT64_MAX & ~0xfffull, kMapShape, base));
  ASSERT_TRUE(table.reserve_anywhere(4, kLow, kLow + 4 * kPage, kMapShape, base));
  EXPECT_FALSE(table.reserve_anywhere(1, kLow, kLow + 4 * kPage, kMapShape, base));
  EXPECT_EQ(table.count(), 1u);
}

TEST(RegionTable, RemoveNeedsTheExactRegion) {
  RegionTable table;
  uint64_t base = 0;
  ASSERT_TRUE(table.reserve_anywhere(4, kLow, kHigh, kMapShape, base));
  Region removed{};
  EXPECT_FALSE(table.remove(base, 3, removed));
  EXPECT_FALSE(table.remove(base + kPage, 3, removed));
  EXPECT_TRUE(table.remove(base, 4, removed));
  EXPECT_FALSE(table.remove(base, 4, removed));
  EXPECT_EQ(table.count(), 0u);
}

TEST(RegionTable, FullTableRefusesMore) {
  RegionTable table;
  uint64_t base = 0;
  for (size_t i = 0; i < RegionTable::kMaxRegions; ++i)
    ASSERT_TRUE(table.reserve_anywhere(1, kLow, kHigh, kMapShape, base));
  EXPECT_FALSE(table.reserve_anywhere(1, kLow, kHigh, kMapShape, base));
  EXPECT_FALSE(table.reserve_at({0x400000, 1, RegionKind::kImage, false, true}));
  table.clear();
  EXPECT_EQ(table.count(), 0u);
  EXPECT_EQ(table.total_pages(), 0u);
}

}  // namespace
}  // namespace rayos
