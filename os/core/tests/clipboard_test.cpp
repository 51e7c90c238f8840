#include "os/core/clipboard.h"

#include <gtest/gtest.h>

#include <cstring>

namespace rayos {
namespace {

TEST(Clipboard, PastesWhatWasCopiedByItsSerial) {
  Clipboard c;
  uint64_t a = 0, b = 0;
  ASSERT_TRUE(c.copy(1, 7, "hello", 5, a));
  ASSERT_TRUE(c.copy(2, 8, "world!", 6, b));
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(c.latest(), 2u);
  char out[16] = {};
  uint32_t length = 0, format = 0;
  ASSERT_EQ(c.paste(a, out, sizeof out, length, format), Clipboard::Paste::kOk);
  EXPECT_EQ(std::string(out, length), "hello");
  EXPECT_EQ(format, 7u);
  EXPECT_EQ(c.paste(b, out, 3, length, format), Clipboard::Paste::kTooSmall);
}

TEST(Clipboard, AnItemPushedOutOfTheHistoryIsGoneNotStale) {
  Clipboard c;
  uint64_t serial = 0;
  for (uint32_t i = 0; i <= Clipboard::kHistory; ++i) ASSERT_TRUE(c.copy(1, 1, &i, 4, serial));
  char out[8];
  uint32_t length = 0, format = 0;
  EXPECT_EQ(c.paste(1, out, sizeof out, length, format), Clipboard::Paste::kGone);
  EXPECT_EQ(c.paste(2, out, sizeof out, length, format), Clipboard::Paste::kOk);
  EXPECT_EQ(c.paste(0, out, sizeof out, length, format), Clipboard::Paste::kGone);
  EXPECT_EQ(c.paste(99, out, sizeof out, length, format), Clipboard::Paste::kGone);
  uint8_t big[Clipboard::kMaxBytes + 1] = {};
  EXPECT_FALSE(c.copy(1, 1, big, sizeof big, serial));
}

TEST(Clipboard, ThePlantedBugLosesEveryNthItem) {
  Clipboard c(4);
  uint32_t lost = 0;
  for (uint32_t i = 0; i < 8; ++i) {
    uint64_t serial = 0;
    ASSERT_TRUE(c.copy(1, 1, &i, 4, serial));
    char out[8];
    uint32_t length = 0, format = 0;
    if (c.paste(serial, out, sizeof out, length, format) != Clipboard::Paste::kOk) ++lost;
  }
  EXPECT_EQ(lost, 2u) << "items 4 and 8";
}

}  // namespace
}  // namespace rayos
