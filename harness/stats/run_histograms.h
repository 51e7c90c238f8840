#pragma once
// Where a run keeps its latency (or other) distributions: RunResult::analysis["histograms"],
// one entry per name, {"unit": "us", "histogram": <histogram_json.h>}. Analyzers store them;
// the HTML report draws them and the gate compares their percentiles run by run. A name is a
// metric family: "buffer_commit_us" gives the gate "buffer_commit_us.p50", ".p90", ".p99",
// whose direction (lower is better) the analyzer declares in its MetricInfo list.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/stats/histogram.h"

namespace osh::stats {

struct NamedHistogram {
  std::string unit;
  Histogram histogram;
};

void store_histogram(nlohmann::json& analysis, const std::string& name, const std::string& unit,
                     const Histogram& histogram);

// Every histogram in `analysis` (none when it has no "histograms"). Throws osh::InputError
// naming `origin` and the field ("analysis.histograms.<name>.counts: ...") when malformed.
std::map<std::string, NamedHistogram> load_histograms(const nlohmann::json& analysis,
                                                      const std::string& origin);

}  // namespace osh::stats
