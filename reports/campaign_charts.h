#pragma once
// Charts of the whole campaign, from what every run records whatever its analyzers, drawn per
// spec (runs of unrelated specs on one line would say nothing): each key figure per run, coloured
// by verdict, with the spec's criterion bounds on it. The HTML report draws them above the runs.
#include <string>
#include <vector>

#include "harness/campaign/campaign.h"
#include "harness/stats/chart.h"

namespace osh::reports {

// Specs drawn in report.html; a campaign of more specs has their figures in the Specs table.
inline constexpr size_t kSpecsCharted = 50;
// A spec with at least this many boot times also gets their distribution.
inline constexpr size_t kRunsForDistribution = 10;

struct SpecCharts {
  std::string spec;
  // One scatter per figure (boot_ms, duration_ms, every metric its criteria name) measured in
  // at least two runs: x the run's index, one series per verdict in its colour, each
  // criterion on the figure a horizontal line labelled with its text; and the boot-time
  // histogram (criterion bounds as rules) for a spec of kRunsForDistribution boots or more.
  std::vector<stats::Chart> charts;
  // A figure measured once is a number, not a chart of one point.
  struct Single {
    std::string metric, unit;
    double value = 0;
    int run = 0;
    campaign::Verdict verdict = campaign::Verdict::Pass;
  };
  std::vector<Single> singles;
};

// The first kSpecsCharted specs, in the order of their first run.
std::vector<SpecCharts> spec_charts(const campaign::CampaignOutcome& outcome);

// `values` counted in at most `max_buckets` equal buckets with "nice" bounds, as the single
// series of a histogram chart: (bucket start, count), every bucket listed, empty ones too.
stats::Series bucket_counts(const std::vector<double>& values, int max_buckets);

}  // namespace osh::reports
