#pragma once
// The gate's acceptance protocol on simulated campaigns: one baseline campaign, then ten
// campaigns with a slowdown knob and ten without, each gated against that baseline, repeated
// in blocks. Shared by the gate's tests and gate_power (docs/performance.md).
#include <cstdint>
#include <vector>

#include "harness/stats/histogram.h"
#include "reports/gate/sim/simulated_campaign.h"

namespace osh::gate::sim {

// What the gate does with the runs' latency histograms: p50, p90 and p99 per run, compared as
// lower-is-better metrics with the default 5% threshold at `confidence`. True when any of them
// regressed (the gate would exit 1).
bool gate_flags(const std::vector<stats::Histogram>& baseline,
                const std::vector<stats::Histogram>& current, double confidence = 0.95);

struct AcceptanceCounts {
  int blocks = 0;
  int flagged_slow = 0, flagged_clean = 0;           // over all blocks, of 10 * blocks each
  int worst_block_slow = 10, worst_block_clean = 0;  // fewest caught, most false alarms
};

// `model.slowdown` is the knob of the slow campaigns (the clean ones have none).
AcceptanceCounts run_acceptance(const LatencyModel& model, int runs_per_campaign, int blocks,
                                uint64_t seed, double confidence = 0.95);

}  // namespace osh::gate::sim
