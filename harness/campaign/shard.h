#pragma once
// One campaign split over several hosts (docs/distributed.md). `osharness run --shard i/n` runs
// a deterministic 1/n of the campaign's runs; its journal's campaign record says which, and what
// the campaign is, so that `osharness merge` can join the shards and refuse parts of different
// campaigns.
//
// A run is known by its spec's name and its repeat index, never by its position: the same
// specs given in another order (another glob, another CI script) make the same shards.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "harness/campaign/spec.h"

namespace osh::campaign {

struct Shard {
  int index = 1;  // 1..count, as the user writes it
  int count = 1;
};

// "2/3" -> {2, 3}. UsageError naming the text and the form otherwise.
Shard parse_shard(std::string_view text);

// For each run of the campaign, in run-index order (spec by spec, repeat by repeat), whether it
// belongs to `shard`. The runs are sorted by (spec name, repeat index) and dealt out in turn:
// every shard gets its 1/n to within one run, and the repeats of each spec spread over all
// shards. With more than one shard, two specs of one name are a UsageError (their runs could not
// be told apart).
std::vector<bool> shard_selection(const std::vector<Spec>& specs, Shard shard);

// What the campaign is, for the journal's campaign record: the shard count and which shards this
// record covers, and per spec (in the campaign's order) its name, repeat count and its JSON with
// the guest images (kernel, initrd, a schema file) named by their SHA-256 instead of their path,
// which differs from host to host. The libvirt URI is left out: it says where, not what.
//   {"shards": {"count": 3, "covered": [2]}, "specs": [{"name", "repeat", "spec"}, ...]}
nlohmann::json campaign_identity(const std::vector<Spec>& specs, Shard shard);

}  // namespace osh::campaign
