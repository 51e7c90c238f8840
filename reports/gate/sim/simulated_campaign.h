#pragma once
// Simulated latency campaigns for validating the gate before real guest workloads exist:
// each run draws lognormal latencies (the usual shape of operation latencies) scaled by a
// run-wide factor (host load, cache and frequency state shift a whole run), and a knob can make
// every operation slower by a fraction. Used by the gate's tests and by gate_power.
#include <cstdint>
#include <random>
#include <vector>

#include "harness/stats/histogram.h"

namespace osh::gate::sim {

struct LatencyModel {
  double median_us = 800;     // typical operation latency
  double sample_sigma = 0.5;  // spread of one run's latencies (lognormal sigma)
  double run_cv = 0.02;       // run-to-run spread of the whole run (lognormal sigma)
  int samples_per_run = 2000;
  double slowdown = 0;  // 0.10: every operation 10% slower
};

// One run: a histogram of `samples_per_run` latencies in microseconds.
stats::Histogram simulate_run(const LatencyModel& model, std::mt19937_64& rng);
std::vector<stats::Histogram> simulate_campaign(const LatencyModel& model, int runs,
                                                std::mt19937_64& rng);

// The per-run `percent` percentile of each run.
std::vector<double> per_run_percentile(const std::vector<stats::Histogram>& runs, double percent);

}  // namespace osh::gate::sim
