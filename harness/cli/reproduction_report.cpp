#include "harness/cli/reproduction_report.h"

#include <cstdio>
#include <string>

#include "harness/base/atomic_write.h"
#include "harness/base/escape.h"
#include "harness/marker/log_diff.h"
#include "reports/escape_once.h"

namespace osh::cli {
namespace {

// A replay must print the recorded bytes: the replays whose console log differs, with where.
std::vector<std::string> replay_differences(const campaign::ReproBundle& bundle,
                                            const std::filesystem::path& bundle_path,
                                            const campaign::CampaignOutcome& outcome) {
  std::vector<std::string> differences;
  const marker::MappedFile recorded(bundle_path.parent_path() / bundle.console_log);
  for (const auto& run : outcome.runs) {
    const marker::MappedFile replayed(outcome.out_dir / run.console_log);
    const auto d = marker::diff_logs(recorded.bytes(), replayed.bytes(), "");
    if (d.same) continue;
    differences.push_back("replay " + std::to_string(run.index) +
                          " parts from the recording at byte " + std::to_string(d.offset) +
                          ", line " + std::to_string(d.b.line_no) + ": " +
                          escape_text_truncated(d.b.text, 200));
  }
  return differences;
}

}  // namespace

int report_reproduction(campaign::Reproduction r, const campaign::ReproBundle& bundle,
                        const std::filesystem::path& bundle_path,
                        const campaign::CampaignOutcome& outcome) {
  std::vector<std::string> differences;
  if (r.replay) differences = replay_differences(bundle, bundle_path, outcome);
  auto record = campaign::to_json(r);
  if (r.replay) {
    record["console_identical"] = r.runs - static_cast<int>(differences.size());
    record["console_differences"] = differences;
  }
  const std::string text = record.dump(2) + "\n";
  atomic_write_private(bundle_path.parent_path() / "reproduction.json", text);
  atomic_write_private(outcome.out_dir / "reproduction.json", text);

  // A bundle is a file anyone can hand over: its strings, and the reruns' (made from guest
  // text), are printed escaped, once, as a live run prints them.
  const auto safe = [](const std::string& text) { return reports::escape_text_once(text); };
  const auto& first = r.outcomes.front();
  if (r.ran == 0) {
    std::printf("repro: could not rerun: %s\n", safe(first.reason).c_str());
    return campaign::exit_code(campaign::Verdict::InfraError);
  }
  if (r.runs == 1 && !r.every_time()) {
    std::printf("repro: NOT REPRODUCED: the bundle recorded %s (%s), the %s gave %s (%s)\n",
                safe(bundle.signature).c_str(), safe(bundle.reason).c_str(),
                r.replay ? "replay" : "rerun", safe(first.signature).c_str(),
                safe(first.reason).c_str());
  } else {
    if (r.every_time())
      std::printf("repro: REPRODUCED %s: %s\n", std::string(campaign::to_string(r.verdict)).c_str(),
                  safe(first.reason).c_str());
    else
      std::printf("repro: NOT REPRODUCED every time\n");
    const std::string described = campaign::describe(r);  // lines, each ending in '\n'
    for (size_t at = 0, end; (end = described.find('\n', at)) != std::string::npos; at = end + 1)
      std::printf("%s%s\n", at ? "" : "repro: ", safe(described.substr(at, end - at)).c_str());
  }
  if (r.replay) {
    if (differences.empty())
      std::printf("repro: every replay printed the recorded console bytes exactly\n");
    for (const auto& d : differences) std::printf("repro: %s\n", d.c_str());
  }
  return r.every_time() && differences.empty() ? 0 : 1;
}

}  // namespace osh::cli
