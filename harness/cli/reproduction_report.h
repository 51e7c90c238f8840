#pragma once
// The end of `osharness repro`: how often the failure came back (and, for a replay, whether the
// console bytes were the recorded ones), printed and recorded in reproduction.json.
#include <filesystem>

#include "harness/campaign/campaign.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/reproduction.h"

namespace osh::cli {

// Prints the outcome, writes reproduction.json beside the bundle and into the rerun's folder,
// and returns the exit code: 0 when every rerun reproduced the failure (and every replay printed
// the recorded bytes), 1 when one did not, 69 when none could run.
int report_reproduction(campaign::Reproduction r, const campaign::ReproBundle& bundle,
                        const std::filesystem::path& bundle_path,
                        const campaign::CampaignOutcome& outcome);

}  // namespace osh::cli
