#pragma once
// `osharness report --history DIR...`: how each spec fared across several campaigns (nightly
// output folders), in the order the campaigns started: runs, pass rate, verdicts, and the p50 /
// p99 of its key figures per campaign, as history.html (tables and trend charts), history.md
// and history.json. docs/reports.md, "History across campaigns".
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/campaign/campaign.h"
#include "reports/campaign_digest.h"

namespace osh::reports {

struct HistoryCampaign {
  std::string folder;  // as given on the command line
  int64_t started_unix_ms = 0;
  std::string harness_version;
  size_t runs = 0, passed = 0;
  std::vector<SpecDigest> specs;
  // This campaign's digest of `spec`; nullptr when it did not run it.
  const SpecDigest* spec(const std::string& name) const;
};

struct History {
  std::vector<HistoryCampaign> campaigns;  // by start time; ties in the order given
  std::vector<std::string> specs;          // every spec, in the order of first appearance
};

// One (folder, outcome) per campaign, complete ones (the caller refuses the others).
History build_history(const std::vector<std::pair<std::string, campaign::CampaignOutcome>>& input);

void write_history_html(const History& history, std::ostream& out);
void write_history_markdown(const History& history, std::ostream& out);
nlohmann::json history_json(const History& history);

}  // namespace osh::reports
