#pragma once
// Runs a campaign: every spec × repeat, each run with its own seed, `jobs` at a time, each
// result journalled the moment it ends. A failed run can be rerun with its seed: a rerun that
// passes makes it FLAKY. Stops starting runs once the harness is told to stop.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/journal.h"
#include "harness/campaign/keep.h"
#include "harness/campaign/run_result.h"
#include "harness/campaign/runner.h"
#include "harness/campaign/shard.h"
#include "harness/campaign/spec.h"

namespace osh::campaign {

// One run of a campaign's plan, fixed before any run starts (its seed drawn then too), so that
// `osharness run --resume` runs a missing run exactly as it would have run.
struct PlannedRun {
  size_t spec = 0;  // position of its spec in the campaign
  int index = 0;    // in the whole campaign (a shard's runs keep theirs)
  uint64_t seed = 0;
};

struct CampaignOptions {
  std::filesystem::path out_dir;
  int jobs = 1;
  int reruns = 0;  // reruns of a failed run with the same seed, to tell flaky from failing
  std::vector<std::string> command;  // argv of the harness, for the journal
  Shard shard;                       // the part of the campaign to run (harness/campaign/shard.h)
  // The runs to make, when not the plan's (`run --only-failed`: an earlier campaign's failed
  // runs, with their seeds and indexes); into the journal's plan as they are.
  std::optional<std::vector<PlannedRun>> runs;
  Keep keep = Keep::All;       // what stays of each run's folder
  bool compress_logs = false;  // console.log.gz instead of console.log (compress_console_log)
};

// What the journal's campaign record says the campaign will run.
struct CampaignPlan {
  std::vector<nlohmann::json> specs;  // to_json(spec), guest paths absolute
  std::vector<PlannedRun> runs;       // this journal's runs, in index order
};

// Which of its spec's runs `run` is (0 for the first), counted in the whole campaign.
int repeat_index(const std::vector<Spec>& specs, const PlannedRun& run);

// The runs of `specs` in `shard`, each with its seed (a spec's seed + repeat, else random).
CampaignPlan plan_campaign(const std::vector<Spec>& specs, Shard shard);

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
  std::optional<CampaignPlan> plan;  // absent in journals of older versions
  // Why the campaign is not complete, one sentence each (no end record, planned runs that were
  // never recorded); empty when it is. Every report makes an incomplete campaign INFRA_ERROR.
  std::vector<std::string> incomplete;
  // Where the full report is published (`--report-url`), for summary.md's link; set by the
  // command that writes the reports, never journalled: it says where, not what ran.
  std::string report_url;
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

// Reads a campaign back from its journal (for `osharness report`). A journal that is missing,
// a folder, or lacks records gives an outcome whose info.incomplete says what is missing.
CampaignOutcome read_campaign(const std::filesystem::path& journal_path);

// The planned runs that `outcome` has no record of.
std::vector<PlannedRun> missing_runs(const CampaignOutcome& outcome);

// Finishes the campaign read back in `previous` (read_campaign of options.out_dir's journal):
// runs its missing runs with their planned seeds and indexes, appending to the same journal,
// and returns every run, the earlier ones included. `specs` are the plan's specs.
CampaignOutcome resume_campaign(CampaignOutcome previous, const std::vector<Spec>& specs,
                                const CampaignOptions& options, RunEnvironment& env,
                                const std::function<void(const RunResult&)>& on_run_done);

// A fresh 64-bit seed from the kernel's entropy pool.
uint64_t random_seed();

}  // namespace osh::campaign
