#pragma once
// `osharness merge OUT_A OUT_B ... --out MERGED`: joins the output folders of one campaign's
// shards (`osharness run --shard i/n`, docs/distributed.md) into one: a journal, the run folders
// and every report, as if the campaign had run on one host.
#include <filesystem>
#include <string>
#include <vector>

#include "harness/campaign/plugins.h"

namespace osh::cli {

struct MergeArgs {
  std::vector<std::filesystem::path> shards;
  std::filesystem::path out;
  bool overwrite = false;
  std::string report_url;         // summary.md's link to the full report
  std::vector<std::string> argv;  // for the merged journal
};

int merge_command(const MergeArgs& args, const campaign::Plugins& plugins);

}  // namespace osh::cli
