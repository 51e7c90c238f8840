#pragma once
// One side of a gate comparison, read from what `osharness run` wrote: a report.json, or an
// output folder (its report.json, else its journal.jsonl for a campaign that was killed before
// it wrote reports). Everything is checked on the way in, histograms included, so that a file
// that is not a report stops the gate (exit 65) before it writes anything.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "harness/campaign/run_result.h"
#include "harness/stats/run_histograms.h"

namespace osh::gate {

struct GateRun {
  campaign::RunResult result;
  std::map<std::string, stats::NamedHistogram> histograms;  // analysis.histograms
};

struct GateSide {
  std::string origin;  // the file read: ".../report.json" or ".../journal.jsonl"
  std::vector<GateRun> runs;
  std::vector<std::string> warnings;  // an interrupted or unfinished campaign
};

// Throws osh::InputError naming the file and the field when `path` is not a report.
GateSide load_side(const std::filesystem::path& path);

// Several campaigns as one side, their runs pooled: baseline and current runs interleaved in
// time (one campaign per run, scripts/gate-acceptance), or the last few nightly baselines.
GateSide load_sides(const std::vector<std::filesystem::path>& paths);

// The same for a report.json already parsed (for tests and tools).
GateSide side_from_report(const nlohmann::json& report, const std::string& origin);

}  // namespace osh::gate
