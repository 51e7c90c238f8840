#include "reports/gate/sim/simulated_campaign.h"

#include <cmath>

namespace osh::gate::sim {

stats::Histogram simulate_run(const LatencyModel& model, std::mt19937_64& rng) {
  const double run_factor = std::exp(std::normal_distribution<double>(0, model.run_cv)(rng));
  std::lognormal_distribution<double> latency(
      std::log(model.median_us * run_factor * (1 + model.slowdown)), model.sample_sigma);
  stats::Histogram h;
  for (int i = 0; i < model.samples_per_run; ++i)
    h.record(static_cast<uint64_t>(std::llround(latency(rng))));
  return h;
}

std::vector<stats::Histogram> simulate_campaign(const LatencyModel& model, int runs,
                                                std::mt19937_64& rng) {
  std::vector<stats::Histogram> out;
  for (int i = 0; i < runs; ++i) out.push_back(simulate_run(model, rng));
  return out;
}

std::vector<double> per_run_percentile(const std::vector<stats::Histogram>& runs, double percent) {
  std::vector<double> out;
  for (const auto& h : runs) out.push_back(static_cast<double>(h.value_at_percentile(percent)));
  return out;
}

}  // namespace osh::gate::sim
