#pragma once
// What `run`, `repro` and `report` share: preparing an output folder, running a campaign with
// progress and signal handling, writing the reports and printing the summary.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/campaign.h"
#include "harness/campaign/plugins.h"
#include "harness/campaign/spec.h"

namespace osh::cli {

// Makes `dir` ready for a new campaign. A file there is a UsageError. A folder that already holds a
// journal is refused (UsageError) unless `overwrite`, which removes the artefacts of the previous
// campaign only: the journal, the runs and every report `plugins` writes.
void prepare_out_dir(const std::filesystem::path& dir, bool overwrite,
                     const campaign::Plugins& plugins);

// "out/<name>-YYYYmmdd-HHMMSS"
std::filesystem::path default_out_dir(const std::string& name);

campaign::SpecContext spec_context(const campaign::Plugins& plugins);

// Prints each spec's warnings (deprecated fields) to stderr.
void print_spec_warnings(const std::vector<campaign::Spec>& specs);

// What parsing a spec does not look at: that each guest kernel that is there is an image QEMU
// boots (docs/specs.md). InputError naming the spec and what the file is. A kernel not built yet
// is left for the run to report (with how to build it).
void check_guest_images(const std::vector<campaign::Spec>& specs);

struct SessionOptions {
  int jobs = 1;
  int reruns = 0;
  bool quiet = false;
  std::vector<std::string> argv;
  campaign::Shard shard;
  std::optional<std::vector<campaign::PlannedRun>> runs;  // CampaignOptions::runs
  campaign::Keep keep = campaign::Keep::All;
  std::string report_url;  // CampaignInfo::report_url
  bool compress_logs = false;
};

// Runs the campaign, writes the reports, prints the summary; returns the outcome. With
// `resume_from` (the folder's campaign read back), runs only its missing runs, into its journal.
campaign::CampaignOutcome run_session(const std::vector<campaign::Spec>& specs,
                                      const std::filesystem::path& out_dir,
                                      const SessionOptions& options,
                                      const campaign::Plugins& plugins,
                                      const campaign::CampaignOutcome* resume_from = nullptr);

// The campaign of an output folder, read from its journal; InputError when it has none.
campaign::CampaignOutcome read_out_dir(const std::filesystem::path& dir);

// Writes the reports of `outcome` (every format `plugins` has) and prints its summary to stdout.
void report_and_summarise(const campaign::CampaignOutcome& outcome,
                          const campaign::Plugins& plugins);

// The process exit code for a finished campaign: the worst verdict's, or 128 + signal when it
// was interrupted.
int session_exit_code(const campaign::CampaignOutcome& outcome);

}  // namespace osh::cli
