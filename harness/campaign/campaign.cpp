#include "harness/campaign/campaign.h"

#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/base/private_files.h"
#include "harness/campaign/version.h"

namespace osh::campaign {
namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

bool stopping(const RunEnvironment& env) { return env.stop_signal && env.stop_signal->load() != 0; }

// Reruns a failed run with its own seed; the first disagreeing rerun makes it FLAKY.
RunResult with_reruns(const RunPlan& plan, RunEnvironment& env, int reruns, RunResult first) {
  if (first.verdict == Verdict::Pass || first.verdict == Verdict::InfraError) return first;
  for (int i = 1; i <= reruns && !stopping(env); ++i) {
    const RunResult again = run_one(plan, env);
    if (again.verdict == Verdict::Pass) {
      first.findings.insert(first.findings.begin(),
                            {Verdict::Flaky,
                             "failed (" + first.reason + "), then passed on rerun " +
                                 std::to_string(i) + " with the same seed",
                             "FLAKY " + first.signature});
      first.verdict = Verdict::Flaky;
      first.reason = first.findings.front().reason;
      first.signature = first.findings.front().signature;
      first.metrics["reruns"] = i;
      return first;
    }
  }
  if (reruns > 0) first.metrics["reruns"] = reruns;
  return first;
}

}  // namespace

uint64_t random_seed() {
  uint64_t seed = 0;
  if (::getrandom(&seed, sizeof seed, 0) != sizeof seed)
    throw InfraError(errno_message("getrandom", errno));
  return seed;
}

nlohmann::json to_json(const CampaignInfo& info) {
  nlohmann::json j = {{"record", "campaign"},
                      {"harness_version", info.harness_version},
                      {"started_unix_ms", info.started_unix_ms},
                      {"command", info.command},
                      {"specs", info.specs},
                      {"host", info.host}};
  if (!info.identity.is_null()) j["identity"] = info.identity;
  return j;
}

nlohmann::json end_record(const CampaignInfo& info) {
  return {{"record", "end"},
          {"finished_unix_ms", info.finished_unix_ms},
          {"interrupted", info.interrupted},
          {"warnings", info.warnings}};
}

CampaignOutcome run_campaign(const std::vector<Spec>& specs, const CampaignOptions& options,
                             RunEnvironment& env,
                             const std::function<void(const RunResult&)>& on_run_done) {
  CampaignOutcome outcome;
  outcome.out_dir = options.out_dir;
  CampaignInfo& info = outcome.info;
  info.harness_version = kHarnessVersion;
  info.started_unix_ms = realtime_ns() / 1'000'000;
  info.command = options.command;
  info.host = host_name();
  for (const auto& s : specs) info.specs.push_back(s.origin);
  info.identity = campaign_identity(specs, options.shard);

  make_private_directory(options.out_dir);
  Journal journal(options.out_dir / "journal.jsonl");
  journal.append(to_json(info));

  // A shard runs its part of the campaign; each run keeps its index in the whole campaign.
  const std::vector<bool> in_shard = shard_selection(specs, options.shard);
  std::vector<RunPlan> plans;
  int index = 0;
  for (const auto& spec : specs) {
    const uint64_t base = spec.seed ? *spec.seed : 0;
    for (int i = 0; i < spec.repeat; ++i, ++index) {
      if (!in_shard[static_cast<size_t>(index)]) continue;
      const uint64_t seed = spec.seed ? base + static_cast<uint64_t>(i) : random_seed();
      plans.push_back({&spec, seed, index, options.out_dir});
    }
  }

  // Workers take plans in order; this thread journals results as they arrive.
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(plans.size())));
  std::mutex mutex;
  std::condition_variable done_cv;
  std::deque<RunResult> done;
  int active = jobs;  // guarded by mutex
  std::atomic<size_t> next{0};
  std::atomic<bool> journal_failed{false};
  const auto worker = [&] {
    for (size_t i; !stopping(env) && !journal_failed && (i = next++) < plans.size();) {
      RunResult r = with_reruns(plans[i], env, options.reruns, run_one(plans[i], env));
      std::lock_guard lock(mutex);
      done.push_back(std::move(r));
      done_cv.notify_one();
    }
    std::lock_guard lock(mutex);
    --active;
    done_cv.notify_one();
  };
  // A fault record that cannot be written is not fatal: its run's record carries it too.
  env.journal = [&](const nlohmann::json& record) {
    try {
      journal.append(record);
    } catch (const InfraError&) {
      journal_failed = true;
    }
  };
  std::vector<std::jthread> workers;
  for (int j = 0; j < jobs; ++j) workers.emplace_back(worker);
  for (;;) {
    std::unique_lock lock(mutex);
    done_cv.wait(lock, [&] { return !done.empty() || active == 0; });
    if (done.empty()) break;
    RunResult r = std::move(done.front());
    done.pop_front();
    lock.unlock();
    try {
      auto record = to_json(r);
      record["record"] = "run";
      journal.append(record);
    } catch (const InfraError& e) {
      info.warnings.push_back(e.what());
      journal_failed = true;
    }
    on_run_done(r);
    outcome.runs.push_back(std::move(r));
  }
  workers.clear();
  env.journal = nullptr;
  std::sort(outcome.runs.begin(), outcome.runs.end(),
            [](const RunResult& a, const RunResult& b) { return a.index < b.index; });

  info.interrupted = stopping(env);
  info.finished_unix_ms = realtime_ns() / 1'000'000;
  try {
    journal.append(end_record(info));
    info.finished = true;
  } catch (const InfraError& e) {
    info.warnings.push_back(e.what());
  }
  return outcome;
}

CampaignOutcome read_campaign(const std::filesystem::path& journal_path) {
  auto contents = read_journal(journal_path);
  CampaignOutcome outcome;
  outcome.out_dir = journal_path.parent_path();
  outcome.info.warnings = std::move(contents.warnings);
  for (size_t i = 0; i < contents.records.size(); ++i) {
    const auto& rec = contents.records[i];
    const std::string origin = journal_path.string() + ": record " + std::to_string(i + 1);
    JsonReader r(rec, origin);
    const std::string kind = r.string("record").value_or("");
    if (kind == "campaign") {
      outcome.info.harness_version = r.string("harness_version").value_or("");
      outcome.info.started_unix_ms = r.integer("started_unix_ms", 0, INT64_MAX).value_or(0);
      outcome.info.command = r.strings("command").value_or(std::vector<std::string>{});
      outcome.info.specs = r.strings("specs").value_or(std::vector<std::string>{});
      outcome.info.host = r.string("host").value_or("");
      if (const auto it = rec.find("identity"); it != rec.end()) outcome.info.identity = *it;
    } else if (kind == "run") {
      outcome.runs.push_back(run_result_from_json(rec, origin));
    } else if (kind == "fault") {
      // Written live for a killed harness; the run's own record carries its faults too.
    } else if (kind == "end") {
      outcome.info.finished = true;
      outcome.info.finished_unix_ms = r.integer("finished_unix_ms", 0, INT64_MAX).value_or(0);
      outcome.info.interrupted = r.boolean("interrupted").value_or(false);
      for (auto& w : r.strings("warnings").value_or(std::vector<std::string>{}))
        outcome.info.warnings.push_back(std::move(w));
    } else {
      throw InputError(origin + ": unknown record type \"" + kind +
                       "\" (expected campaign, run, fault or end)");
    }
  }
  if (!outcome.info.finished)
    outcome.info.warnings.push_back(journal_path.string() +
                                    ": no end record: the campaign was killed before it finished; "
                                    "the runs recorded before that are all here");
  std::sort(outcome.runs.begin(), outcome.runs.end(),
            [](const RunResult& a, const RunResult& b) { return a.index < b.index; });
  return outcome;
}

}  // namespace osh::campaign
