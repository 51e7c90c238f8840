#pragma once
// Charts of the whole campaign, from what every run records whatever its analyzers: boot time
// per run and its spread, and run durations. The HTML report draws them above the runs.
#include <vector>

#include "harness/campaign/campaign.h"
#include "harness/stats/chart.h"

namespace osh::reports {

// Boot time per run (runs that never reached BOOT:READY leave a gap), the distribution of boot
// times (with the median), and duration per run. Empty for a campaign without runs.
std::vector<stats::Chart> campaign_charts(const campaign::CampaignOutcome& outcome);

// `values` counted in at most `max_buckets` equal buckets with "nice" bounds, as the single
// series of a histogram chart: (bucket start, count), every bucket listed, empty ones too.
stats::Series bucket_counts(const std::vector<double>& values, int max_buckets);

}  // namespace osh::reports
