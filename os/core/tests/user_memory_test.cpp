#include "os/core/user_memory.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "os/core/syscall_abi.h"

namespace rayos {
namespace {

constexpr uint64_t kPage = abi::kPageSize;

// A process with a few pages: readable, and writable or not.
class TestPages final : public UserPages {
 public:
  void add(uint64_t virt, bool writable) {
    pages_[virt] = {std::vector<uint8_t>(kPage, 0), writable};
  }
  bool resolve(uint64_t virt, bool write, uint64_t& phys) override {
    ++resolves;
    auto it = pages_.find(virt & ~(kPage - 1));
    if (it == pages_.end() || (write && !it->second.writable)) return false;
    phys = virt & ~(kPage - 1);
    return true;
  }
  void* frame_pointer(uint64_t phys) override { return pages_.at(phys).bytes.data(); }
  uint8_t* bytes(uint64_t virt) {
    return pages_.at(virt & ~(kPage - 1)).bytes.data() + virt % kPage;
  }
  int resolves = 0;

 private:
  struct Page {
    std::vector<uint8_t> bytes;
    bool writable;
  };
  std::map<uint64_t, Page> pages_;
};

TEST(UserMemory, RangeValidity) {
  EXPECT_TRUE(user_range_valid(0x400000, 10));
  EXPECT_TRUE(user_range_valid(abi::kUserEnd - 10, 10));
  EXPECT_TRUE(user_range_valid(0, 0));
  EXPECT_FALSE(user_range_valid(abi::kUserEnd - 10, 11));
  EXPECT_FALSE(user_range_valid(abi::kUserEnd, 0));
  EXPECT_FALSE(user_range_valid(0xffffffff80000000, 8));
  EXPECT_FALSE(user_range_valid(0x400000, UINT64_MAX));  // would wrap
}

TEST(UserMemory, CopiesAcrossAPageBoundary) {
  TestPages pages;
  pages.add(0x400000, true);
  pages.add(0x401000, true);
  std::string text = "hello, across the boundary";
  ASSERT_TRUE(copy_to_user(pages, 0x400ff0, text.data(), text.size()));
  EXPECT_EQ(std::memcmp(pages.bytes(0x400ff0), text.data(), 16), 0);
  EXPECT_EQ(std::memcmp(pages.bytes(0x401000), text.data() + 16, text.size() - 16), 0);
  EXPECT_EQ(pages.resolves, 2);
  std::string back(text.size(), '\0');
  ASSERT_TRUE(copy_from_user(pages, back.data(), 0x400ff0, back.size()));
  EXPECT_EQ(back, text);
}

TEST(UserMemory, FailsOnAMissingPageOrAReadOnlyWrite) {
  TestPages pages;
  pages.add(0x400000, false);
  char buffer[32] = {};
  EXPECT_FALSE(copy_from_user(pages, buffer, 0x400ff0, 32));  // second page missing
  EXPECT_TRUE(copy_from_user(pages, buffer, 0x400000, 32));
  EXPECT_FALSE(copy_to_user(pages, 0x400000, buffer, 1));  // read-only
  EXPECT_FALSE(copy_from_user(pages, buffer, 0xffffffff80000000, 8));
  EXPECT_FALSE(copy_to_user(pages, abi::kUserEnd - 4, buffer, 8));
}

TEST(UserMemory, ProbeChecksAccessWithoutCopying) {
  TestPages pages;
  pages.add(0x400000, false);
  pages.add(0x401000, true);
  pages.bytes(0x400000)[0] = 7;
  EXPECT_TRUE(probe_user(pages, 0x400000, 2 * kPage, false));
  EXPECT_FALSE(probe_user(pages, 0x400000, 2 * kPage, true));  // the first page is read-only
  EXPECT_TRUE(probe_user(pages, 0x401000, kPage, true));
  EXPECT_FALSE(probe_user(pages, 0x401000, kPage + 1, false));
  EXPECT_EQ(pages.bytes(0x400000)[0], 7);
}

TEST(UserMemory, ZeroBytesTouchNothing) {
  TestPages pages;
  EXPECT_TRUE(copy_from_user(pages, nullptr, 0x1234, 0));
  EXPECT_TRUE(copy_to_user(pages, 0x1234, nullptr, 0));
  EXPECT_EQ(pages.resolves, 0);
}

}  // namespace
}  // namespace rayos
