// `osharness run --filter`: globs on spec names and tags.
#include "harness/campaign/selection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace osh::campaign {
namespace {

using ::testing::HasSubstr;

Spec spec(const std::string& name, std::vector<std::string> tags = {}) {
  Spec s;
  s.name = name;
  s.tags = std::move(tags);
  return s;
}

std::vector<std::string> names(const Selection& s) {
  std::vector<std::string> out;
  for (const auto& spec : s.specs) out.push_back(spec.name);
  return out;
}

const std::vector<Spec> kSpecs = {spec("boot-fast", {"quick"}), spec("flood", {"slow", "net"}),
                                  spec("boot-slow", {"slow"}), spec("soak-1h")};

TEST(Selection, NoPatternSelectsEverySpec) {
  EXPECT_THAT(names(select_specs(kSpecs, {})),
              ::testing::ElementsAre("boot-fast", "flood", "boot-slow", "soak-1h"));
}

TEST(Selection, GlobsOnNamesKeepTheCampaignsOrder) {
  EXPECT_THAT(names(select_specs(kSpecs, {"boot-*"})),
              ::testing::ElementsAre("boot-fast", "boot-slow"));
  EXPECT_THAT(names(select_specs(kSpecs, {"soak-1h", "flood"})),
              ::testing::ElementsAre("flood", "soak-1h"));
  EXPECT_THAT(names(select_specs(kSpecs, {"boot-[f]*"})), ::testing::ElementsAre("boot-fast"));
}

TEST(Selection, TagPatternsMatchAnyTag) {
  EXPECT_THAT(names(select_specs(kSpecs, {"tag:slow"})),
              ::testing::ElementsAre("flood", "boot-slow"));
  EXPECT_THAT(names(select_specs(kSpecs, {"tag:n*"})), ::testing::ElementsAre("flood"));
  // A name pattern never matches a tag, nor a tag pattern a name.
  EXPECT_FALSE(matches_filter(spec("x", {"slow"}), "slow"));
  EXPECT_FALSE(matches_filter(spec("slow"), "tag:slow"));
}

TEST(Selection, PatternsThatMatchNothingAreReported) {
  const auto s = select_specs(kSpecs, {"flood", "tag:nightly", "bot-*"});
  EXPECT_THAT(names(s), ::testing::ElementsAre("flood"));
  EXPECT_THAT(s.unmatched, ::testing::ElementsAre("tag:nightly", "bot-*"));
}

TEST(Selection, SelectingNothingIsAUsageErrorListingNamesAndTags) {
  try {
    select_specs(kSpecs, {"tag:nightly"});
    FAIL() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("--filter \"tag:nightly\" selects none of the 4 specs"));
    EXPECT_THAT(e.what(), HasSubstr("names: boot-fast, flood, boot-slow, soak-1h"));
    EXPECT_THAT(e.what(), HasSubstr("tags: net, quick, slow"));
  }
}

}  // namespace
}  // namespace osh::campaign
