#pragma once
// The seam between a run and what a campaign kind wants to know about it. An analyzer sees
// every marker as it arrives (live, or offline from a saved log) and, when the run is over,
// adds its metrics, findings and report data to the result. A new campaign kind is one new
// Analyzer plus one line in the registry (harness/campaign/analyzers.cpp).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/campaign/run_result.h"
#include "harness/marker/marker_stream.h"

namespace osh::campaign {

class Analyzer : public marker::MarkerObserver {
 public:
  virtual std::string_view name() const = 0;
  // Called once, after the VM has ended and the console stream is finished.
  virtual void finish(RunResult& result) = 0;
};

struct AnalyzerInfo {
  std::string name;
  std::string description;
  std::vector<std::string> metrics;  // names it can add to RunResult::metrics (for criteria)
  std::function<std::unique_ptr<Analyzer>()> make;
};

// Every analyzer the harness knows.
const std::vector<AnalyzerInfo>& analyzer_registry();
const AnalyzerInfo* find_analyzer(std::string_view name);

// Metrics every run has, whatever its analyzers.
const std::vector<std::string>& base_metrics();

}  // namespace osh::campaign
