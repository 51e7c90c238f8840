#include "reports/gate/sim/acceptance.h"

#include <algorithm>
#include <random>

#include "reports/gate/metric_compare.h"

namespace osh::gate::sim {

bool gate_flags(const std::vector<stats::Histogram>& baseline,
                const std::vector<stats::Histogram>& current, double confidence) {
  for (const double p : {50.0, 90.0, 99.0}) {
    const auto c = compare_metric({"sim", "commit_us.p", "us", campaign::MetricInfo::Better::Lower,
                                   per_run_percentile(baseline, p), per_run_percentile(current, p)},
                                  Threshold{}, confidence);
    if (c.change == Change::Regressed) return true;
  }
  return false;
}

AcceptanceCounts run_acceptance(const LatencyModel& model, int runs_per_campaign, int blocks,
                                uint64_t seed, double confidence) {
  std::mt19937_64 rng(seed);
  auto clean = model;
  clean.slowdown = 0;
  AcceptanceCounts counts;
  counts.blocks = blocks;
  for (int b = 0; b < blocks; ++b) {
    const auto baseline = simulate_campaign(clean, runs_per_campaign, rng);
    int slow_flagged = 0, clean_flagged = 0;
    for (int t = 0; t < 10; ++t) {
      slow_flagged +=
          gate_flags(baseline, simulate_campaign(model, runs_per_campaign, rng), confidence);
      clean_flagged +=
          gate_flags(baseline, simulate_campaign(clean, runs_per_campaign, rng), confidence);
    }
    counts.flagged_slow += slow_flagged;
    counts.flagged_clean += clean_flagged;
    counts.worst_block_slow = std::min(counts.worst_block_slow, slow_flagged);
    counts.worst_block_clean = std::max(counts.worst_block_clean, clean_flagged);
  }
  return counts;
}

}  // namespace osh::gate::sim
