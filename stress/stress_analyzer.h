#pragma once
// The stress campaign's analyzer (docs/stress.md): splits the guest's STRESS:LATENCY_SAMPLE
// markers by the load level applied when they arrived, and gives per level the latency
// percentiles and their ratio to the unloaded level — the degradation curve. A stretch under
// load without a sample is an unresponsive window (FAIL), disk verification errors are
// corruption (FAIL), crashes, out-of-memory kills and load set-up errors fail the run.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/analysis/analysis_common.h"
#include "harness/campaign/analyzer.h"

namespace osh::stress {

struct StressOptions {
  // Guest time under load without a latency sample longer than this is an unresponsive window
  // (heartbeat-measured lower bound, about one second of resolution).
  uint64_t unresponsive_ms = 2000;
  // Ratios divide by at least this: the guest's latencies are whole microseconds, and an
  // unloaded median of 0 us would make every ratio infinite.
  double ratio_floor_us = 1;
};

class StressAnalyzer final : public campaign::Analyzer {
 public:
  explicit StressAnalyzer(StressOptions options = {});

  void on_marker(const marker::MarkerEvent& event) override;
  bool wants_lines() const override { return false; }
  void finish(campaign::RunResult& result) override;

  struct Disk {
    double iops = 0;
    double verified = 0;
    double errors = 0;
  };
  struct Level {
    double level = 0;
    std::string label;  // the level as it appears in metric names: "100", "2_5"
    std::optional<double> cpu_pct, mem_pct;  // as measured by the guest in LOAD_APPLIED
    std::vector<double> samples;             // latency, us
    std::optional<double> guest_ratio;       // DEGRADATION's own p50 ratio, in thousandths
    std::optional<Disk> disk;
  };

 private:
  Level& level_for(double value);
  void add_findings(campaign::RunResult& result, const std::vector<const Level*>& sorted) const;
  void add_charts(campaign::RunResult& result, const std::vector<const Level*>& sorted,
                  const Level* baseline) const;

  StressOptions options_;
  std::string type_;
  std::optional<double> target_level_;
  std::vector<Level> levels_;  // in the order first applied
  std::optional<size_t> current_;
  uint64_t samples_outside_levels_ = 0;
  std::vector<analysis::ProcessEnding> endings_;  // crashes and out-of-memory kills
  uint64_t other_kills_ = 0;
  // STRESS:CORRUPTION (one per block that failed verification) and the final re-read.
  uint64_t corruptions_ = 0;
  std::string first_corruption_;      // "block 17: bad_crc"
  std::optional<Disk> final_verify_;  // verified, errors of STRESS:DISK_VERIFY
  uint64_t io_errors_ = 0;
  std::vector<std::string> setup_errors_;  // STRESS:ERROR reasons
  std::optional<bool> complete_pass_;
  analysis::SilenceTracker silence_;
};

// The registry entry: name "stress", its metrics, its factory.
campaign::AnalyzerInfo stress_analyzer_info();

}  // namespace osh::stress
