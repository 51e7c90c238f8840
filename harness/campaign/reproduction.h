#pragma once
// How often a bundle's failure came back (`osharness repro BUNDLE --runs N`): a rerun reproduced
// it when it ended with the same verdict and the same signature (docs/determinism.md). Reruns the
// host could not run (INFRA_ERROR, when the failure was not one) count neither way.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/run_result.h"

namespace osh::campaign {

struct ReproductionOutcome {
  Verdict verdict = Verdict::Pass;
  std::string signature;
  std::string reason;  // of the first run that ended so
  int runs = 0;
};

struct Reproduction {
  Verdict verdict = Verdict::Fail;  // the bundle's
  std::string signature;            // the bundle's
  int runs = 0;                     // asked for
  int ran = 0;                      // not counting reruns the host could not run
  int reproduced = 0;
  std::vector<ReproductionOutcome> outcomes;  // every distinct ending, most frequent first
  bool replay = false;                        // replayed from a recording, not rerun

  bool every_time() const { return ran > 0 && reproduced == ran; }
};

Reproduction tally_reproduction(const ReproBundle& bundle, const std::vector<RunResult>& runs,
                                bool replay);

nlohmann::json to_json(const Reproduction& reproduction);

// "7 of 10 runs reproduced CRASH PAGE_FAULT f", then one line per other ending.
std::string describe(const Reproduction& reproduction);

}  // namespace osh::campaign
