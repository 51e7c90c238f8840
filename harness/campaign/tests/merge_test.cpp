// Joining shards: the merged campaign is the unsharded one, and shards of different campaigns
// are refused with a message that says what differs.
#include "harness/campaign/merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh::campaign {
namespace {

using ::testing::HasSubstr;

class MergeTest : public ::testing::Test {
 protected:
  MergeTest() {
    std::ofstream(dir_ / "rayos.elf") << "kernel";
    specs_ = {spec("soak", 4), spec("hello", 2), spec("flood", 3)};
  }

  Spec spec(const std::string& name, int repeat) const {
    Spec s;
    s.origin = "specs/" + name + ".json";
    s.name = name;
    s.repeat = repeat;
    s.seed = 100;
    s.scenario = name;
    s.guest.kernel = dir_ / "rayos.elf";
    return s;
  }

  // What `osharness run --shard` journals for `specs`: the shard's runs with their indices in
  // the whole campaign, folders and measurements that tell each run apart.
  ShardJournal shard(const std::vector<Spec>& specs, Shard shard, const std::string& dir,
                     const std::string& version = "0.1.0+abc") const {
    ShardJournal s{dir_ / dir, {}};
    s.outcome.info.harness_version = version;
    s.outcome.info.host = "host-" + dir;
    s.outcome.info.started_unix_ms = 1000 + shard.index;
    s.outcome.info.finished_unix_ms = 2000 + shard.index;
    s.outcome.info.identity = campaign_identity(specs, shard);
    const auto selected = shard_selection(specs, shard);
    int index = 0;
    for (const auto& sp : specs) {
      for (int r = 0; r < sp.repeat; ++r, ++index) {
        if (!selected[static_cast<size_t>(index)]) continue;
        RunResult run;
        run.index = index;
        run.name = sp.name;
        run.seed = *sp.seed + static_cast<uint64_t>(r);
        run.verdict = r == 1 ? Verdict::Fail : Verdict::Pass;
        run.metrics["markers.total"] = 10 * r + static_cast<double>(sp.name.size());
        char folder[64];
        std::snprintf(folder, sizeof folder, "runs/%03d-%s-s%llu", index, sp.name.c_str(),
                      static_cast<unsigned long long>(run.seed));
        run.console_log = std::string(folder) + "/console.log";
        if (run.verdict != Verdict::Pass) run.repro_bundle = std::string(folder) + "/repro.json";
        s.outcome.runs.push_back(run);
      }
    }
    return s;
  }

  static std::string refusal(const std::vector<ShardJournal>& shards) {
    try {
      merge_shards(shards, {"osharness", "merge"});
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "merged";
    return "";
  }

  test_support::TempDir tmp_;
  const std::filesystem::path& dir_ = tmp_.path();
  std::vector<Spec> specs_;
};

TEST_F(MergeTest, ThreeShardsMergeIntoTheUnshardedCampaign) {
  const ShardJournal whole = shard(specs_, {}, "whole");
  const auto merged = merge_shards(
      {shard(specs_, {2, 3}, "b"), shard(specs_, {1, 3}, "a"), shard(specs_, {3, 3}, "c")},
      {"osharness", "merge"});
  const auto& runs = merged.outcome.runs;
  ASSERT_EQ(runs.size(), whole.outcome.runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunResult& want = whole.outcome.runs[i];
    EXPECT_EQ(runs[i].index, want.index);
    EXPECT_EQ(runs[i].name, want.name);
    EXPECT_EQ(runs[i].seed, want.seed);
    EXPECT_EQ(runs[i].verdict, want.verdict);
    EXPECT_EQ(runs[i].metrics, want.metrics);
    EXPECT_EQ(runs[i].console_log, want.console_log);
    EXPECT_EQ(runs[i].repro_bundle, want.repro_bundle);
  }
  EXPECT_EQ(merged.folders.size(), runs.size());
  const auto& info = merged.outcome.info;
  EXPECT_TRUE(info.warnings.empty()) << info.warnings.front();
  EXPECT_EQ(info.identity["shards"], (nlohmann::json{{"count", 3}, {"covered", {1, 2, 3}}}));
  EXPECT_EQ(info.identity["specs"], campaign_identity(specs_, {})["specs"]);
  EXPECT_EQ(info.host, "host-a, host-b, host-c");
  EXPECT_EQ(info.started_unix_ms, 1001);
  EXPECT_EQ(info.finished_unix_ms, 2003);
  EXPECT_EQ(info.command, (std::vector<std::string>{"osharness", "merge"}));
}

TEST_F(MergeTest, AShardRunWithTheSpecsInAnotherOrderIsRenumberedIntoTheFirstShardsOrder) {
  const std::vector<Spec> reordered = {specs_[2], specs_[0], specs_[1]};
  const auto merged = merge_shards({shard(specs_, {1, 2}, "a"), shard(reordered, {2, 2}, "b")},
                                   {"osharness", "merge"});
  const ShardJournal whole = shard(specs_, {}, "whole");
  ASSERT_EQ(merged.outcome.runs.size(), whole.outcome.runs.size());
  for (size_t i = 0; i < whole.outcome.runs.size(); ++i) {
    EXPECT_EQ(merged.outcome.runs[i].index, static_cast<int>(i));
    EXPECT_EQ(merged.outcome.runs[i].name, whole.outcome.runs[i].name);
    EXPECT_EQ(merged.outcome.runs[i].seed, whole.outcome.runs[i].seed);
    EXPECT_EQ(merged.outcome.runs[i].console_log, whole.outcome.runs[i].console_log);
  }
  // A run of b's came from its own folder name and goes to the merged campaign's.
  bool renamed = false;
  for (const auto& f : merged.folders)
    if (f.from.parent_path().parent_path() == dir_ / "b" && f.from.filename() != f.to.filename())
      renamed = true;
  EXPECT_TRUE(renamed);
}

TEST_F(MergeTest, MissingShardsAreNamedAndAMergeOfMergesCompletesTheCampaign) {
  const auto partial = merge_shards({shard(specs_, {1, 3}, "a"), shard(specs_, {3, 3}, "c")},
                                    {"osharness", "merge"});
  ASSERT_EQ(partial.outcome.info.warnings.size(), 1u);
  EXPECT_THAT(partial.outcome.info.warnings[0], HasSubstr("shard 2/3 not merged"));
  const auto complete = merge_shards({{dir_ / "ac", partial.outcome}, shard(specs_, {2, 3}, "b")},
                                     {"osharness", "merge"});
  EXPECT_TRUE(complete.outcome.info.warnings.empty());
  EXPECT_EQ(complete.outcome.runs.size(), 9u);
  EXPECT_EQ(complete.outcome.info.identity["shards"]["covered"], (nlohmann::json{1, 2, 3}));
}

TEST_F(MergeTest, RefusesShardsOfDifferentVersions) {
  const auto why = refusal({shard(specs_, {1, 2}, "a"), shard(specs_, {2, 2}, "b", "0.1.0+def")});
  EXPECT_THAT(why, HasSubstr("different osharness versions (0.1.0+abc and 0.1.0+def)"));
}

TEST_F(MergeTest, RefusesShardsWhoseSpecsDifferAndSaysWhere) {
  auto other = specs_;
  other[1].params = {{"count", "1000"}};
  const auto why = refusal({shard(specs_, {1, 2}, "a"), shard(other, {2, 2}, "b")});
  EXPECT_THAT(why, HasSubstr("spec \"hello\" differs (/params/count is absent in " +
                             (dir_ / "a").string() + " and \"1000\" in " + (dir_ / "b").string()));
  other = specs_;
  other[0].repeat = 5;
  EXPECT_THAT(refusal({shard(specs_, {1, 2}, "a"), shard(other, {2, 2}, "b")}),
              HasSubstr("/repeat is 4 in"));
}

TEST_F(MergeTest, RefusesShardsWithASpecTheOtherDoesNotHave) {
  auto more = specs_;
  more.push_back(spec("stress", 1));
  EXPECT_THAT(refusal({shard(specs_, {1, 2}, "a"), shard(more, {2, 2}, "b")}),
              HasSubstr("spec \"stress\" is only in " + (dir_ / "b").string()));
  EXPECT_THAT(refusal({shard(more, {1, 2}, "a"), shard(specs_, {2, 2}, "b")}),
              HasSubstr("spec \"stress\" is only in " + (dir_ / "a").string()));
}

TEST_F(MergeTest, RefusesOverlappingShards) {
  EXPECT_THAT(refusal({shard(specs_, {2, 3}, "a"), shard(specs_, {2, 3}, "b")}),
              HasSubstr("both hold shard 2/3 (overlapping runs)"));
  EXPECT_THAT(refusal({shard(specs_, {1, 1}, "a"), shard(specs_, {1, 1}, "b")}),
              HasSubstr("both hold shard 1/1"));
}

TEST_F(MergeTest, RefusesShardsOfDifferentSplits) {
  EXPECT_THAT(refusal({shard(specs_, {1, 2}, "a"), shard(specs_, {2, 3}, "b")}),
              HasSubstr("split the campaign differently (into 2 and 3 shards)"));
}

TEST_F(MergeTest, RefusesAJournalFromBeforeShards) {
  ShardJournal old = shard(specs_, {}, "old");
  old.outcome.info.identity = nullptr;
  EXPECT_THAT(refusal({old}), HasSubstr("before shards could be merged"));
}

TEST_F(MergeTest, RefusesRunsThatAreNotInTheCampaignOrArtefactsOutsideTheRunsFolder) {
  ShardJournal s = shard(specs_, {1, 2}, "a");
  s.outcome.runs[0].name = "other";
  EXPECT_THAT(refusal({s}), HasSubstr("is not a run of the campaign its journal describes"));
  for (const char* path : {"../../etc/passwd", "runs/../../x", "/etc/passwd", "runs/.."}) {
    s = shard(specs_, {1, 2}, "a");
    s.outcome.runs[0].console_log = path;
    EXPECT_THAT(refusal({s}), HasSubstr("outside runs/<run>/")) << path;
  }
}

}  // namespace
}  // namespace osh::campaign
