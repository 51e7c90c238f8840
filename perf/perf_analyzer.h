#pragma once
// The perf campaign's analyzer (docs/performance.md, "Guest profiling"): every raw sample of the
// guest's PERF:SAMPLES batches goes into one log-linear histogram per operation, stored in the
// run (analysis.histograms "<op>_ns", which the report draws and the gate compares) with its
// percentiles as metrics (<op>_us.p50 ... .max). The guest's own percentiles (PERF:SAMPLE) are
// checked against the harness's: a disagreement beyond the histogram's precision fails the run,
// and so do samples announced (PERF:PROFILE_END) but not received.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/analyzer.h"
#include "harness/stats/histogram.h"

namespace osh::perf {

// Samples are integer nanoseconds, 3 significant digits, up to 100 s.
stats::HistogramConfig sample_histogram_config();

class PerfAnalyzer final : public campaign::Analyzer {
 public:
  PerfAnalyzer();

  void on_marker(const marker::MarkerEvent& event) override;
  bool wants_lines() const override { return false; }
  void finish(campaign::RunResult& result) override;

  struct Operation {
    std::string name;
    stats::Histogram histogram{sample_histogram_config()};
    uint64_t received = 0;  // samples in PERF:SAMPLES batches
    uint64_t gaps = 0;      // samples skipped by a batch's first index (a lost batch before it)
    std::optional<uint64_t> announced;       // PERF:PROFILE_END
    std::map<std::string, double> guest_us;  // PERF:SAMPLE: percentile ("p99") -> latency, us
    std::optional<double> throughput;        // PERF:THROUGHPUT, ops/s
  };

 private:
  Operation& operation(std::string_view name);
  void check(const Operation& op, campaign::RunResult& result) const;

  std::vector<Operation> operations_;  // in the order first seen
  std::vector<std::string> bad_batches_;
  struct Memory {
    double allocated_kb = 0, peak_kb = 0, fragmentation_pct = 0;
  };
  std::optional<Memory> memory_;           // the last PERF:MEMORY
  std::map<std::string, double> reports_;  // PERF:REPORT metric -> value
};

// The registry entry: name "perf", its metrics, its factory.
campaign::AnalyzerInfo perf_analyzer_info();

}  // namespace osh::perf
