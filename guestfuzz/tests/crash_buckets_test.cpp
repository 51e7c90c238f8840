#include "guestfuzz/crash_buckets.h"

#include <gtest/gtest.h>

namespace osh::guestfuzz {
namespace {

CrashSample sample(std::vector<std::string> functions, std::string input, double found_s) {
  CrashSample s;
  s.kind = "PAGE_FAULT";
  s.functions = std::move(functions);
  s.signature = "CRASH PAGE_FAULT " + s.functions.front();
  s.input = std::move(input);
  s.found_s = found_s;
  return s;
}

const char* kApply = "rayos::(anonymous namespace)::apply_token(rayos::StringView, bool)";

TEST(CrashBuckets, SameTopFramesOneBucketWithTheSmallestInput) {
  CrashBuckets buckets;
  buckets.add(sample({kApply, "rayos::parse_cmdline", "run"}, "osh.seed=12345", 1.5));
  buckets.add(sample({kApply, "rayos::parse_cmdline", "other_caller"}, "osh.seed=", 2.0));
  buckets.add(sample({kApply, "rayos::parse_cmdline"}, "osh.seed=1234", 3.0));
  ASSERT_EQ(buckets.buckets().size(), 1u);  // frames past the second do not split a bucket
  const CrashBucket& b = buckets.buckets()[0];
  EXPECT_EQ(b.count, 3);
  EXPECT_EQ(*b.smallest.input, "osh.seed=");
  EXPECT_EQ(b.first_found_s, 1.5);
  EXPECT_EQ(b.key, std::string("PAGE_FAULT ") + kApply + " rayos::parse_cmdline");
  EXPECT_EQ(b.id.substr(0, 23), "PAGE_FAULT-apply_token-");
  EXPECT_EQ(b.id.size(), 23u + 8u);
}

TEST(CrashBuckets, OtherKindOrTopFrameIsAnotherBucket) {
  CrashBuckets buckets;
  buckets.add(sample({kApply, "rayos::parse_cmdline"}, "a", 1));
  buckets.add(sample({"rayos::parse_u64", "rayos::parse_cmdline"}, "b", 2));
  CrashSample gp = sample({kApply, "rayos::parse_cmdline"}, "c", 3);
  gp.kind = "GENERAL_PROTECTION";
  buckets.add(gp);
  ASSERT_EQ(buckets.buckets().size(), 3u);
  EXPECT_NE(buckets.buckets()[0].id, buckets.buckets()[2].id);
}

TEST(CrashBuckets, ASampleWithoutInputNeverReplacesOneWith) {
  CrashBuckets buckets;
  buckets.add(sample({kApply}, "abc", 1));
  CrashSample none = sample({kApply}, "", 2);
  none.input.reset();
  buckets.add(none);
  EXPECT_EQ(*buckets.buckets()[0].smallest.input, "abc");
}

TEST(CrashBuckets, SampleFromTheCrashDetectorsView) {
  campaign::CrashInfo crash{
      "PAGE_FAULT",
      "rip=0x1",
      {{0, 0x1, "apply_token+0x7e3"}, {1, 0x2, ""}, {2, 0x3, "parse_cmdline+0x10"}}};
  const CrashSample s = crash_sample(
      crash, {campaign::Verdict::Crash, "guest panic", "CRASH PAGE_FAULT apply_token"});
  EXPECT_EQ(s.functions, (std::vector<std::string>{"apply_token", "parse_cmdline"}));
  EXPECT_EQ(s.signature, "CRASH PAGE_FAULT apply_token");
  EXPECT_FALSE(s.input.has_value());
}

}  // namespace
}  // namespace osh::guestfuzz
