// Which runs a shard takes, and the campaign identity that `osharness merge` checks.
#include "harness/campaign/shard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh::campaign {
namespace {

using ::testing::HasSubstr;

class ShardTest : public ::testing::Test {
 protected:
  ShardTest() {
    write("a.elf", "kernel one");
    write("b.elf", "kernel one");
    write("c.elf", "kernel two");
  }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  Spec spec(const std::string& name, int repeat, const std::string& kernel = "a.elf") const {
    Spec s;
    s.origin = name + ".json";
    s.name = name;
    s.repeat = repeat;
    s.seed = 1;
    s.scenario = "hello";
    s.guest.kernel = dir_ / kernel;
    return s;
  }
  // (spec name, repeat) of every run `shard` takes.
  static std::set<std::pair<std::string, int>> runs_of(const std::vector<Spec>& specs,
                                                       Shard shard) {
    const auto selected = shard_selection(specs, shard);
    std::set<std::pair<std::string, int>> runs;
    size_t index = 0;
    for (const auto& s : specs)
      for (int r = 0; r < s.repeat; ++r, ++index)
        if (selected.at(index)) runs.insert({s.name, r});
    EXPECT_EQ(index, selected.size());
    return runs;
  }

  test_support::TempDir tmp_;
  const std::filesystem::path& dir_ = tmp_.path();
};

TEST_F(ShardTest, ParsesIOverN) {
  EXPECT_EQ(parse_shard("1/1").index, 1);
  const Shard s = parse_shard("2/3");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 3);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "", "1/3x", "-1/3", "2/"}) {
    try {
      parse_shard(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_THAT(e.what(), HasSubstr("expected i/n")) << bad;
    }
  }
}

TEST_F(ShardTest, EveryRunIsInExactlyOneShardAndTheShardsAreEvenToWithinOneRun) {
  const std::vector<Spec> specs = {spec("soak", 5), spec("hello", 1), spec("flood", 3),
                                   spec("fault", 2)};
  std::set<std::pair<std::string, int>> all;
  size_t smallest = SIZE_MAX, largest = 0;
  for (int i = 1; i <= 3; ++i) {
    const auto runs = runs_of(specs, {i, 3});
    smallest = std::min(smallest, runs.size());
    largest = std::max(largest, runs.size());
    for (const auto& run : runs) EXPECT_TRUE(all.insert(run).second) << run.first << run.second;
  }
  EXPECT_EQ(all.size(), 11u);
  EXPECT_LE(largest - smallest, 1u);
}

TEST_F(ShardTest, TheSameSpecsInAnotherOrderMakeTheSameShards) {
  const std::vector<Spec> one = {spec("soak", 5), spec("hello", 1), spec("flood", 3)};
  const std::vector<Spec> other = {spec("flood", 3), spec("soak", 5), spec("hello", 1)};
  for (int i = 1; i <= 4; ++i) EXPECT_EQ(runs_of(one, {i, 4}), runs_of(other, {i, 4})) << i;
}

TEST_F(ShardTest, TheRepeatsOfOneSpecSpreadOverEveryShard) {
  const std::vector<Spec> specs = {spec("soak", 6)};
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(runs_of(specs, {i, 3}).size(), 2u) << i;
}

TEST_F(ShardTest, OneShardIsTheWholeCampaign) {
  const std::vector<Spec> specs = {spec("soak", 2), spec("soak", 3)};  // one name twice is fine
  const auto selected = shard_selection(specs, {});
  EXPECT_EQ(selected, std::vector<bool>(5, true));
}

TEST_F(ShardTest, TwoSpecsOfOneNameCannotBeSharded) {
  const std::vector<Spec> specs = {spec("soak", 2), spec("hello", 1), spec("soak", 3)};
  try {
    shard_selection(specs, {1, 2});
    FAIL() << "accepted";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("two specs are named \"soak\" (soak.json and soak.json)"));
  }
}

TEST_F(ShardTest, IdentityNamesGuestImagesByContentNotPath) {
  const auto a = campaign_identity({spec("hello", 2, "a.elf")}, {2, 3});
  const auto b = campaign_identity({spec("hello", 2, "b.elf")}, {2, 3});
  const auto c = campaign_identity({spec("hello", 2, "c.elf")}, {2, 3});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a["shards"], (nlohmann::json{{"count", 3}, {"covered", {2}}}));
  const auto& entry = a["specs"].at(0);
  EXPECT_EQ(entry["name"], "hello");
  EXPECT_EQ(entry["repeat"], 2);
  EXPECT_EQ(entry["spec"]["guest"]["kernel"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(entry["spec"]["params"], nlohmann::json::object());
}

struct UriOptions final : vm::BackendOptions {
  explicit UriOptions(std::string u) : uri(std::move(u)) {}
  nlohmann::json to_json() const override {
    return {{"qemu", {{"machine", "pc"}}}, {"libvirt", {{"uri", uri}}}};
  }
  std::string uri;
};

TEST_F(ShardTest, TheLibvirtUriSaysWhereNotWhatSoItIsNotPartOfTheIdentity) {
  Spec one = spec("hello", 1), other = spec("hello", 1);
  one.guest.backend_options = std::make_shared<UriOptions>("qemu:///system");
  other.guest.backend_options = std::make_shared<UriOptions>("qemu:///session");
  const auto a = campaign_identity({one}, {});
  EXPECT_EQ(a, campaign_identity({other}, {}));
  EXPECT_EQ(a["specs"][0]["spec"]["guest"]["qemu"]["machine"], "pc");
}

TEST_F(ShardTest, AnUnreadableImageIsNamedNotHashed) {
  const auto id = campaign_identity({spec("hello", 1, "gone.elf")}, {});
  EXPECT_EQ(id["specs"][0]["spec"]["guest"]["kernel"],
            (nlohmann::json{{"unreadable", "gone.elf"}}));
}

}  // namespace
}  // namespace osh::campaign
