#include "harness/campaign/reproduction.h"

#include <algorithm>

namespace osh::campaign {

Reproduction tally_reproduction(const ReproBundle& bundle, const std::vector<RunResult>& runs,
                                bool replay) {
  Reproduction r;
  r.verdict = bundle.verdict;
  r.signature = bundle.signature;
  r.runs = static_cast<int>(runs.size());
  r.replay = replay;
  for (const auto& run : runs) {
    const bool could_not_run =
        run.verdict == Verdict::InfraError && bundle.verdict != Verdict::InfraError;
    if (!could_not_run) ++r.ran;
    if (run.verdict == bundle.verdict && run.signature == bundle.signature) ++r.reproduced;
    const auto same = [&](const ReproductionOutcome& o) {
      return o.verdict == run.verdict && o.signature == run.signature;
    };
    if (auto it = std::find_if(r.outcomes.begin(), r.outcomes.end(), same); it != r.outcomes.end())
      ++it->runs;
    else
      r.outcomes.push_back({run.verdict, run.signature, run.reason, 1});
  }
  std::stable_sort(r.outcomes.begin(), r.outcomes.end(),
                   [](const auto& a, const auto& b) { return a.runs > b.runs; });
  return r;
}

nlohmann::json to_json(const Reproduction& r) {
  nlohmann::json outcomes = nlohmann::json::array();
  for (const auto& o : r.outcomes)
    outcomes.push_back({{"verdict", to_string(o.verdict)},
                        {"signature", o.signature},
                        {"reason", o.reason},
                        {"runs", o.runs}});
  return {{"verdict", to_string(r.verdict)},
          {"signature", r.signature},
          {"replay", r.replay},
          {"runs", r.runs},
          {"ran", r.ran},
          {"reproduced", r.reproduced},
          {"rate", r.ran > 0 ? nlohmann::json(double(r.reproduced) / r.ran) : nlohmann::json()},
          {"outcomes", outcomes}};
}

std::string describe(const Reproduction& r) {
  std::string text = std::to_string(r.reproduced) + " of " + std::to_string(r.ran) + " " +
                     (r.replay ? "replays" : "runs") + " reproduced " + r.signature;
  if (r.ran < r.runs) text += " (" + std::to_string(r.runs - r.ran) + " more could not run)";
  text += "\n";
  for (const auto& o : r.outcomes)
    if (o.verdict != r.verdict || o.signature != r.signature)
      text += "  " + std::to_string(o.runs) + " x " + o.signature + ": " + o.reason + "\n";
  return text;
}

}  // namespace osh::campaign
