#pragma once
// The soak campaign's analyzer (docs/soak.md): reads the guest's once-a-second
// SOAK:METRICS_SNAPSHOT markers and turns them into time series, fps and frame-drop figures,
// latency percentiles and a memory-leak trend with a confidence interval; missing snapshots are
// a HANG, client crashes and the guest's own COMPLETE:fail are failures.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/analysis/analysis_common.h"
#include "harness/campaign/analyzer.h"
#include "harness/stats/linear_fit.h"

namespace osh::soak {

struct SoakOptions {
  // Snapshots left out of the leak fit at the start of the run, as a share of all snapshots
  // (rounded up): pools, caches and client start-up grow memory before it levels off.
  double warmup_fraction = 0.10;
  // A stretch of guest time without a snapshot longer than this (measured by heartbeats) is a
  // HANG; so is a run that ends more than this many snapshots short of SOAK:START's duration.
  uint64_t max_gap_ms = 3000;
  double target_fps = 60;
  double confidence = 0.95;  // of the two-sided interval of the memory slope
  size_t max_chart_points = 600;
};

struct Snapshot {
  double cpu_pct = 0;
  double mem_kb = 0;
  double latency_us = 0;
  double fps = 0;
  double host_s = 0;  // when the snapshot arrived (host CLOCK_MONOTONIC), to place host events
};

class SoakAnalyzer final : public campaign::Analyzer {
 public:
  explicit SoakAnalyzer(SoakOptions options = {});

  void on_marker(const marker::MarkerEvent& event) override;
  bool wants_lines() const override { return false; }
  void finish(campaign::RunResult& result) override;

 private:
  void add_metrics(campaign::RunResult& result) const;
  // The memory trend after warm-up (nullopt: too few snapshots for an interval).
  std::optional<stats::LineFit> add_leak_fit(campaign::RunResult& result) const;
  void add_findings(campaign::RunResult& result) const;
  void add_charts(campaign::RunResult& result, const std::optional<stats::LineFit>& fit) const;
  size_t warmup_snapshots() const;

  SoakOptions options_;
  bool started_ = false;
  std::optional<double> duration_sec_;  // from SOAK:START
  std::vector<Snapshot> snapshots_;
  uint64_t created_ = 0, destroyed_ = 0, unknown_destroyed_ = 0;
  std::set<std::string> live_clients_;
  size_t max_live_ = 0;
  std::vector<analysis::ProcessEnding> endings_;
  std::optional<bool> complete_pass_;
  uint64_t malformed_snapshots_ = 0;
  analysis::SilenceTracker silence_;
};

// The registry entry: name "soak", its metrics, its factory.
campaign::AnalyzerInfo soak_analyzer_info();

}  // namespace osh::soak
