#pragma once
// Campaign results for the gate's tests, written the way `osharness run` writes them.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "harness/base/testing/temp_dir.h"
#include "harness/campaign/campaign.h"

namespace osh::gate::testing {

campaign::RunResult make_run(const std::string& name, int index, campaign::Verdict verdict,
                             std::map<std::string, double> metrics);

// `runs` runs of `spec`, boot_ms around `boot_ms` with a fixed spread of about 1%.
std::vector<campaign::RunResult> boot_runs(const std::string& spec, int runs, double boot_ms,
                                           int first_index = 0);

campaign::CampaignOutcome outcome_of(std::vector<campaign::RunResult> runs);

// report.json as JsonReport writes it.
void write_report(const campaign::CampaignOutcome& outcome, const std::filesystem::path& path);
// journal.jsonl as run_campaign writes it (no reports).
void write_journal(const campaign::CampaignOutcome& outcome, const std::filesystem::path& path);

using TempDir = osh::test_support::TempDir;

}  // namespace osh::gate::testing
