#include "harness/campaign/campaign.h"

#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

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

// Guest paths made absolute, so that the plan reads the same from any folder (`--resume`).
nlohmann::json with_absolute_paths(nlohmann::json spec) {
  auto& guest = spec["guest"];
  for (const char* key : {"kernel", "initrd", "schema"}) {
    const auto it = guest.find(key);
    if (it == guest.end() || !it->is_string()) continue;
    const std::string path = it->get<std::string>();
    if (path.empty() || (std::string_view(key) == "schema" && (path == "rayos" || path == "none")))
      continue;
    *it = std::filesystem::absolute(path).lexically_normal().string();
  }
  return spec;
}

nlohmann::json to_json(const CampaignPlan& plan) {
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& r : plan.runs)
    runs.push_back({{"index", r.index}, {"spec", r.spec}, {"seed", r.seed}});
  return {{"specs", plan.specs}, {"runs", std::move(runs)}};
}

CampaignPlan plan_from_json(const nlohmann::json& json, const std::string& origin) {
  JsonReader reader(json, origin, "plan");
  CampaignPlan plan;
  const auto* specs = reader.raw("specs");
  if (specs == nullptr || !specs->is_array()) reader.fail("specs", "expected an array of specs");
  for (size_t i = 0; i < specs->size(); ++i) {
    if (!(*specs)[i].is_object())
      reader.fail("specs[" + std::to_string(i) + "]",
                  "expected a spec object, got " + describe_json((*specs)[i]));
    plan.specs.push_back((*specs)[i]);
  }
  for (auto& run : reader.objects("runs")) {
    PlannedRun r;
    r.index = static_cast<int>(run.required(run.integer("index", 0, INT32_MAX), "index"));
    r.spec = static_cast<size_t>(
        run.required(run.integer("spec", 0, int64_t(plan.specs.size()) - 1), "spec"));
    r.seed = run.required(run.unsigned_integer("seed"), "seed");
    run.reject_unknown();
    plan.runs.push_back(r);
  }
  reader.reject_unknown();
  return plan;
}

// "3, 7, 12 and 40 more"
std::string index_list(const std::vector<PlannedRun>& runs) {
  constexpr size_t kShown = 10;
  std::string out;
  for (size_t i = 0; i < runs.size() && i < kShown; ++i)
    out += (i == 0 ? "" : ", ") + std::to_string(runs[i].index);
  if (runs.size() > kShown) out += " and " + std::to_string(runs.size() - kShown) + " more";
  return out;
}

// Sets info.incomplete from what the journal holds (beside what read_campaign found unreadable).
void note_incomplete(CampaignOutcome& outcome) {
  CampaignInfo& info = outcome.info;
  if (!info.finished)
    info.incomplete.push_back(
        "no end record: the harness was killed (or its host went down) before the campaign "
        "ended; every run recorded before that is here");
  std::set<int> interrupted;
  for (const auto& r : outcome.runs)
    if (interrupted_by_a_stop(r)) interrupted.insert(r.index);
  std::vector<PlannedRun> never, cut;
  for (const auto& r : missing_runs(outcome))
    (interrupted.contains(r.index) ? cut : never).push_back(r);
  const size_t planned = info.plan ? info.plan->runs.size() : 0;
  const std::string resume = "`osharness run --resume " + outcome.out_dir.string() + "` runs ";
  if (!never.empty())
    info.incomplete.push_back(std::to_string(never.size()) + " of " + std::to_string(planned) +
                              " planned run" + (planned == 1 ? "" : "s") +
                              " never recorded (run index " + index_list(never) + "): " + resume +
                              "them with their seeds");
  if (!cut.empty())
    info.incomplete.push_back(
        std::to_string(cut.size()) + " of " + std::to_string(planned) + " planned run" +
        (planned == 1 ? "" : "s") + " interrupted by a stop signal (run index " + index_list(cut) +
        "), their verdict not the guest's: " + resume + "them again with their seeds");
}

std::vector<RunPlan> run_plans(const std::vector<Spec>& specs, const std::vector<PlannedRun>& runs,
                               const std::filesystem::path& out_dir) {
  std::vector<RunPlan> plans;
  for (const auto& r : runs) {
    const Spec& spec = specs.at(r.spec);
    plans.push_back({&spec, r.seed, r.index, out_dir, repeat_index(specs, r), spec.repeat});
  }
  return plans;
}

// Runs `plans`, options.jobs at a time, journalling each result as it arrives, into
// outcome.runs; stops starting runs on a stop signal or once the journal cannot be written.
// Then journals the end record and notes what is still missing.
void execute(const std::vector<RunPlan>& plans, const CampaignOptions& options, RunEnvironment& env,
             Journal& journal, CampaignOutcome& outcome,
             const std::function<void(const RunResult&)>& on_run_done) {
  CampaignInfo& info = outcome.info;
  // Workers take plans in order; this thread journals results as they arrive.
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(plans.size())));
  std::mutex mutex;
  std::condition_variable done_cv;
  std::deque<RunResult> done;
  int active = jobs;  // guarded by mutex
  std::atomic<size_t> next{0};
  std::atomic<bool> journal_failed{false};
  std::vector<std::string> compress_warnings;  // guarded by mutex
  const auto worker = [&] {
    for (size_t i; !stopping(env) && !journal_failed && (i = next++) < plans.size();) {
      RunResult r = with_reruns(plans[i], env, options.reruns, run_one(plans[i], env));
      apply_keep(options.keep, r, run_folder(plans[i]));
      std::vector<std::string> warnings;
      if (options.compress_logs) compress_console_log(r, options.out_dir, warnings);
      std::lock_guard lock(mutex);
      compress_warnings.insert(compress_warnings.end(), warnings.begin(), warnings.end());
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
  info.warnings.insert(info.warnings.end(), compress_warnings.begin(), compress_warnings.end());
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
  note_incomplete(outcome);
}

}  // namespace

int repeat_index(const std::vector<Spec>& specs, const PlannedRun& run) {
  int first = 0;
  for (size_t s = 0; s < run.spec; ++s) first += specs.at(s).repeat;
  return run.index - first;
}

CampaignPlan plan_campaign(const std::vector<Spec>& specs, Shard shard) {
  // A shard runs its part of the campaign; each run keeps its index in the whole campaign.
  const std::vector<bool> in_shard = shard_selection(specs, shard);
  CampaignPlan plan;
  int index = 0;
  for (size_t s = 0; s < specs.size(); ++s) {
    const Spec& spec = specs[s];
    plan.specs.push_back(with_absolute_paths(to_json(spec)));
    const uint64_t base = spec.seed ? *spec.seed : 0;
    for (int i = 0; i < spec.repeat; ++i, ++index) {
      if (!in_shard[static_cast<size_t>(index)]) continue;
      const uint64_t seed = spec.seed ? base + static_cast<uint64_t>(i) : random_seed();
      plan.runs.push_back({s, index, seed});
    }
  }
  return plan;
}

std::vector<PlannedRun> missing_runs(const CampaignOutcome& outcome) {
  std::vector<PlannedRun> missing;
  if (!outcome.info.plan) return missing;
  std::set<int> finished;
  for (const auto& r : outcome.runs)
    if (!interrupted_by_a_stop(r)) finished.insert(r.index);
  for (const auto& r : outcome.info.plan->runs)
    if (!finished.contains(r.index)) missing.push_back(r);
  return missing;
}

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
  if (info.plan) j["plan"] = to_json(*info.plan);
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

  info.plan = plan_campaign(specs, options.shard);
  if (options.runs) info.plan->runs = *options.runs;

  make_private_directory(options.out_dir);
  Journal journal(options.out_dir / "journal.jsonl");
  journal.append(to_json(info));
  execute(run_plans(specs, info.plan->runs, options.out_dir), options, env, journal, outcome,
          on_run_done);
  return outcome;
}

CampaignOutcome resume_campaign(CampaignOutcome previous, const std::vector<Spec>& specs,
                                const CampaignOptions& options, RunEnvironment& env,
                                const std::function<void(const RunResult&)>& on_run_done) {
  CampaignOutcome outcome = std::move(previous);
  outcome.out_dir = options.out_dir;
  const auto missing = missing_runs(outcome);
  const auto plans = run_plans(specs, missing, options.out_dir);
  // What a killed or interrupted run left behind is no record of the guest: it starts afresh.
  for (const auto& plan : plans) std::filesystem::remove_all(run_folder(plan));
  std::erase_if(outcome.runs, [](const RunResult& r) { return interrupted_by_a_stop(r); });
  Journal journal(options.out_dir / "journal.jsonl", Journal::Mode::Append);
  journal.append({{"record", "resume"},
                  {"started_unix_ms", realtime_ns() / 1'000'000},
                  {"command", options.command},
                  {"runs", plans.size()}});
  CampaignInfo& info = outcome.info;
  info.finished = false;
  info.interrupted = false;
  info.incomplete.clear();
  execute(plans, options, env, journal, outcome, on_run_done);
  return outcome;
}

CampaignOutcome read_campaign(const std::filesystem::path& journal_path) {
  CampaignOutcome outcome;
  outcome.out_dir = journal_path.parent_path();
  std::error_code ec;
  if (std::filesystem::is_directory(journal_path, ec)) {
    outcome.info.incomplete.push_back(journal_path.string() +
                                      " is a folder, not a journal: no record of the campaign "
                                      "can be read");
    return outcome;
  }
  auto contents = read_journal(journal_path);
  outcome.info.warnings = std::move(contents.warnings);
  bool has_campaign = false;
  std::unordered_map<int, size_t> position_of;  // run index -> its place in outcome.runs
  for (size_t i = 0; i < contents.records.size(); ++i) {
    const auto& rec = contents.records[i];
    const std::string origin = journal_path.string() + ": record " + std::to_string(i + 1);
    JsonReader r(rec, origin);
    const std::string kind = r.string("record").value_or("");
    if (kind == "campaign") {
      has_campaign = true;
      outcome.info.harness_version = r.string("harness_version").value_or("");
      outcome.info.started_unix_ms = r.integer("started_unix_ms", 0, INT64_MAX).value_or(0);
      outcome.info.command = r.strings("command").value_or(std::vector<std::string>{});
      outcome.info.specs = r.strings("specs").value_or(std::vector<std::string>{});
      outcome.info.host = r.string("host").value_or("");
      if (const auto it = rec.find("identity"); it != rec.end()) outcome.info.identity = *it;
      if (const auto it = rec.find("plan"); it != rec.end())
        outcome.info.plan = plan_from_json(*it, origin);
    } else if (kind == "run") {
      RunResult run = run_result_from_json(rec, origin);
      // A run --resume ran again (it was interrupted) is recorded twice: the later record holds.
      const auto [at, first] = position_of.try_emplace(run.index, outcome.runs.size());
      if (first) {
        outcome.runs.push_back(std::move(run));
      } else {
        outcome.runs[at->second] = std::move(run);
      }
    } else if (kind == "fault") {
      // Written live for a killed harness; the run's own record carries its faults too.
    } else if (kind == "resume") {
      // `run --resume` goes on with the campaign: only a later end record ends it.
      outcome.info.finished = false;
      outcome.info.interrupted = false;
    } else if (kind == "end") {
      outcome.info.finished = true;
      outcome.info.finished_unix_ms = r.integer("finished_unix_ms", 0, INT64_MAX).value_or(0);
      outcome.info.interrupted = r.boolean("interrupted").value_or(false);
      for (auto& w : r.strings("warnings").value_or(std::vector<std::string>{}))
        outcome.info.warnings.push_back(std::move(w));
    } else {
      throw InputError(origin + ": unknown record type \"" + kind +
                       "\" (expected campaign, run, fault, resume or end)");
    }
  }
  if (!has_campaign)
    outcome.info.incomplete.push_back(
        journal_path.string() +
        " has no campaign record: the harness was killed before it wrote one, or this is not "
        "the journal of an `osharness run`");
  std::sort(outcome.runs.begin(), outcome.runs.end(),
            [](const RunResult& a, const RunResult& b) { return a.index < b.index; });
  note_incomplete(outcome);
  return outcome;
}

}  // namespace osh::campaign
