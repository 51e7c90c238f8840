#pragma once
// Joins the journals of one campaign's shards (`osharness run --shard i/n` on several hosts) into
// one campaign, as if it had run on one host: `osharness merge` (docs/distributed.md).
//
// Shards of one campaign have the same osharness version, the same shard count, disjoint
// shards, and the same specs (by content: guest images by their SHA-256). Anything else is
// refused with an InputError that names the folders and what differs. Missing shards are not an
// error (a host may have died): the merged campaign says which are missing, and merging it later
// with them completes it.
#include <filesystem>
#include <vector>

#include "harness/campaign/campaign.h"

namespace osh::campaign {

struct ShardJournal {
  std::filesystem::path dir;  // the shard's output folder: messages name it, its runs/ is copied
  CampaignOutcome outcome;    // read_campaign() of its journal
};

// A run's folder, from a shard's output folder to the merged one.
struct RunFolderCopy {
  std::filesystem::path from;  // absolute or relative to the working directory
  std::filesystem::path to;    // relative to the merged output folder
};

struct MergedCampaign {
  // Runs numbered in the campaign's order (the first shard's order of specs, then repeats),
  // their artefact paths pointing into the merged folder.
  CampaignOutcome outcome;
  std::vector<RunFolderCopy> folders;
};

// `command` is the merge's own argv, for the merged campaign record.
MergedCampaign merge_shards(const std::vector<ShardJournal>& shards,
                            const std::vector<std::string>& command);

}  // namespace osh::campaign
