#pragma once
// The WPT results of a whole campaign, from its runs' analysis["wpt"] (written by the wpt hook,
// read back from the journal): each test once, as wpt.fyi wants it, in run order (a test that
// ran again in a later run, a repeat for a determinism check, keeps its first result), and what
// the runs reported about themselves.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/campaign/campaign.h"

namespace osh::wpt {

struct CampaignResults {
  std::vector<const nlohmann::json*> results;  // wptreport.json results[] entries
  const nlohmann::json* first_run = nullptr;   // analysis["wpt"] of the first WPT run
  std::map<std::string, uint64_t> pinned_subtests;
  int64_t time_start_ms = 0;
  int64_t time_end_ms = 0;
  size_t runs = 0;
  size_t repeated_tests = 0;  // results left out because an earlier run had the test
};

// `outcome` must outlive the result (it points into the runs' analysis).
CampaignResults collect_campaign_results(const campaign::CampaignOutcome& outcome);

}  // namespace osh::wpt
