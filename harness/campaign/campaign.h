#pragma once
// Runs a campaign: every spec × repeat, each run with its own seed, `jobs` at a time, each
// result journalled the moment it ends. A failed run can be rerun with its seed: a rerun that
// passes makes it FLAKY. Stops starting runs once the harness is told to stop.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/campaign/journal.h"
#include "harness/campaign/run_result.h"
#include "harness/campaign/runner.h"
#include "harness/campaign/shard.h"
#include "harness/campaign/spec.h"

namespace osh::campaign {

struct CampaignOptions {
  std::filesystem::path out_dir;
  int jobs = 1;
  int reruns = 0;  // reruns of a failed run with the same seed, to tell flaky from failing
  std::vector<std::string> command;  // argv of the harness, for the journal
  Shard shard;                       // the part of the campaign to run (harness/campaign/shard.h)
};

struct CampaignInfo {
  std::string harness_version;
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  std::vector<std::string> command;
  std::vector<std::string> specs;  // origins
  std::string host;
  bool interrupted = false;
  bool finished = false;  // an "end" record was written
  std::vector<std::string> warnings;
  // The campaign's specs by content and the shards this journal holds (campaign_identity()):
  // what `osharness merge` checks. Null in journals of older versions.
  nlohmann::json identity;
};

// The journal's first and last records.
nlohmann::json to_json(const CampaignInfo& info);
nlohmann::json end_record(const CampaignInfo& info);

struct CampaignOutcome {
  CampaignInfo info;
  std::filesystem::path out_dir;  // the output folder; run artefact paths are relative to it
  std::vector<RunResult> runs;    // in index order
};

// `on_run_done` is called (from the calling thread, one at a time) as each run is journalled.
// Throws InfraError when the journal cannot be created; a journal write failing later ends the
// campaign with that error recorded in info.warnings.
CampaignOutcome run_campaign(const std::vector<Spec>& specs, const CampaignOptions& options,
                             RunEnvironment& env,
                             const std::function<void(const RunResult&)>& on_run_done);

// Reads a campaign back from its journal (for `osharness report`).
CampaignOutcome read_campaign(const std::filesystem::path& journal_path);

// A fresh 64-bit seed from the kernel's entropy pool.
uint64_t random_seed();

}  // namespace osh::campaign
