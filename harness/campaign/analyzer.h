#pragma once
// The seam between a run and what a campaign kind wants to know about it. An analyzer sees
// every marker as it arrives (live, or offline from a saved log) and, when the run is over,
// adds its metrics, findings and report data to the result. A new campaign kind is one new
// Analyzer, registered by its folder's plug-in (docs/design.md).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/campaign/run_result.h"
#include "harness/campaign/starvation_record.h"
#include "harness/marker/marker_stream.h"

namespace osh::campaign {

class Analyzer : public marker::MarkerObserver {
 public:
  // Called once, after the VM has ended and the console stream is finished.
  virtual void finish(RunResult& result) = 0;
};

// What a metric means, for criteria checks and for the gate's comparisons.
struct MetricInfo {
  enum class Better : unsigned char { Lower, Higher, Neither };
  // What clock a time metric is measured with, which says whether a loaded host can fail a
  // criterion on it (docs/specs.md, "Criteria under load"): the guest's own clock; host time
  // less the time QEMU waited for a host CPU over the same interval (harness/campaign/
  // starvation.h); or host wall time, waits included, which a criterion reports as
  // load-sensitive.
  enum class Clock : unsigned char { NotTime, Guest, HostLessStarvation, HostWall };
  std::string name;  // "latency_us.p99"; a family is declared as "latency_us.*"
  std::string unit;  // "ms", "us", "KiB", "%", "fps", "ops/s", "" (a count)
  Better better = Better::Neither;
  std::string description;
  Clock clock = Clock::NotTime;
};

// What a run tells its analyzers.
struct AnalyzerSetup {
  // QEMU's waits for a host CPU over the run, for intervals between markers' stamps; null when
  // there was no VM (a saved log analysed again), where no wait can be taken off.
  const StarvationRecord* starvation = nullptr;
};

struct AnalyzerInfo {
  std::string name;
  std::string description;
  std::vector<MetricInfo> metrics;  // what it can add to RunResult::metrics
  std::function<std::unique_ptr<Analyzer>(const AnalyzerSetup& setup)> make;
};

// Metrics every run has, whatever its analyzers.
const std::vector<MetricInfo>& base_metrics();

// Whether `name` is `info`'s metric or a member of its family ("latency_us.*").
bool metric_matches(const MetricInfo& info, std::string_view name);

// The clock of `name`, one of `info`'s family: a member named "..._less_starvation..." is
// corrected even when its family is declared in wall time (faults.<type>.detect_ms and
// faults.<type>.detect_ms_less_starvation share "faults.*").
MetricInfo::Clock clock_of(const MetricInfo& info, std::string_view name);

}  // namespace osh::campaign
