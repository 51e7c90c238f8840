#include "guestfuzz/fuzz_hook.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>

#include "coverage/line_coverage.h"
#include "guestfuzz/corpus_dir.h"
#include "guestfuzz/crash_buckets.h"
#include "guestfuzz/fuzz_markers.h"
#include "guestfuzz/minimizer.h"
#include "harness/analysis/analysis_common.h"
#include "harness/base/atomic_write.h"
#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/json_reader.h"
#include "harness/base/paths.h"
#include "harness/campaign/crash_detector.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/spec.h"
#include "harness/campaign/symbolizer.h"

namespace osh::guestfuzz {
namespace {

constexpr const char* kImageName = "fuzz-corpus.img";
constexpr const char* kCoverageName = "coverage.info";
// A replay that has not crashed by then will not: the guest replays one input in microseconds.
constexpr int64_t kReplayLimitNs = 10'000'000'000;

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InfraError("cannot read the fuzz input " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class FuzzHook final : public campaign::RunHook {
 public:
  FuzzHook(const FuzzConfig& config, const campaign::HookSetup& setup)
      : config_(config), setup_(setup) {
    // A replay (a bucket's bundle) boots with its one input and touches no corpus folder.
    if (config.replay.empty()) corpus_.emplace(config.corpus_dir);
    try {
      symbolizer_.emplace(setup.config->kernel);
    } catch (const InputError&) {
      // No symbols: buckets are keyed by the exception kind alone.
    }
    detector_.emplace(symbolizer_ ? &*symbolizer_ : nullptr, 0);
    if (config.coverage) try {
        coverage_.emplace(setup.config->kernel);
      } catch (const InputError& e) {
        problems_.push_back(std::string(e.what()) + " (or set fuzz.coverage to false)");
      }
  }

  void configure(vm::VmConfig& config) override {
    if (setup_.spec && setup_.spec->scenario != "fuzz")
      throw InfraError(
          "the fuzz section runs the guest's fuzz scenario, but the spec's scenario "
          "is \"" +
          setup_.spec->scenario + "\": set \"scenario\": \"fuzz\"");
    if (!config.initrd.empty())
      throw InfraError("guest.initrd is " + config.initrd.string() +
                       ", but the fuzz section passes the corpus as the initrd: remove "
                       "guest.initrd from the spec");
    config.initrd = setup_.run_folder / kImageName;
    const auto duration_ms = static_cast<uint64_t>(std::ceil(config_.duration_s * 1000));
    config.append += (config.append.empty() ? "" : " ") + std::string("target=") + config_.target +
                     " duration_ms=" + std::to_string(duration_ms) +
                     " replay=" + (config_.replay.empty() ? "0" : "1") +
                     " coverage=" + (config_.coverage ? "1" : "0");
  }

  // Each VM boots with the corpus as it is now: a VM restarted after a crash starts from
  // everything the earlier ones found.
  void before_start(vm::Vm&) override {
    const auto inputs =
        config_.replay.empty() ? corpus_->inputs() : std::vector{read_bytes(config_.replay)};
    atomic_write(setup_.run_folder / kImageName, corpus_image(inputs));
  }

  void started(int64_t spawn_ns) override {
    spawn_ns_ = spawn_ns;
    deadline_ns_ = spawn_ns + static_cast<int64_t>(config_.duration_s * 1e9);
  }

  void on_marker(const marker::MarkerEvent& event) override {
    detector_->on_marker(event);
    if (event.category != "FUZZ") return;
    const double t = static_cast<double>(event.host_ns - spawn_ns_) / 1e9;
    const auto fuzz = decode_fuzz_marker(event);
    if (!fuzz) {
      problems_.push_back("line " + std::to_string(event.line_no) + ": a FUZZ:" +
                          std::string(event.event) + " marker whose input is not base64");
      return;
    }
    switch (fuzz->kind) {
      case FuzzMarker::Kind::New:
        ++new_inputs_;
        if (config_.replay.empty() && corpus_->add(fuzz->input)) ++stored_;
        edges_.push_back({t, static_cast<double>(fuzz->edges)});
        break;
      case FuzzMarker::Kind::Stats:
        life_execs_ = fuzz->execs;
        edges_.push_back({t, static_cast<double>(fuzz->edges)});
        rates_.push_back({t, static_cast<double>(fuzz->execs_per_s)});
        break;
      case FuzzMarker::Kind::Crash:
        life_execs_ = fuzz->execs;
        crash_input_ = fuzz->input;
        crash_found_s_ = t;
        break;
      case FuzzMarker::Kind::Coverage:
        if (coverage_ && !coverage_->add(fuzz->offset, fuzz->count)) ++unknown_sites_;
        break;
      case FuzzMarker::Kind::Done:
        life_execs_ = fuzz->execs;
        break;
      case FuzzMarker::Kind::Error:
        problems_.push_back("the guest could not fuzz: " + fuzz->input);
        break;
      case FuzzMarker::Kind::Other:
        break;
    }
  }

  bool restart_after_exit(int64_t now_ns) override {
    const bool crashed = close_life();
    if (!crashed || !config_.replay.empty() || now_ns >= deadline_ns_ ||
        restarts_ >= config_.max_restarts)
      return false;
    ++restarts_;
    return true;
  }

  // A VM restarted after a crash fuzzes for the whole duration again: it is stopped at the
  // campaign's end.
  void tick(int64_t now_ns, campaign::RunControl& control) override {
    if (restarts_ == 0 || stopped_ || now_ns < deadline_ns_) return;
    stopped_ = true;
    control.vm().kill();
  }
  int64_t next_tick_ns() const override {
    return restarts_ == 0 || stopped_ ? std::numeric_limits<int64_t>::max() : deadline_ns_;
  }

  void finish(campaign::RunResult& r) override {
    close_life();
    if (unknown_sites_ > 0)
      problems_.push_back(std::to_string(unknown_sites_) +
                          " FUZZ:COVERAGE markers name no call site of " +
                          setup_.config->kernel.string() + " (is it the kernel that ran?)");
    for (const auto& p : problems_)
      r.findings.push_back({campaign::Verdict::Fail, "fuzz: " + p, "FAIL fuzz"});
    double rate_sum = 0;
    for (const auto& p : rates_) rate_sum += p.y;
    r.metrics["fuzz.execs"] = static_cast<double>(execs_);
    if (!rates_.empty())
      r.metrics["fuzz.execs_per_s"] = rate_sum / static_cast<double>(rates_.size());
    double edges = 0;
    for (const auto& p : edges_) edges = std::max(edges, p.y);
    r.metrics["fuzz.edges"] = edges;
    r.metrics["fuzz.new_inputs"] = static_cast<double>(new_inputs_);
    r.metrics["fuzz.crashes"] = static_cast<double>(crashes_);
    r.metrics["fuzz.buckets"] = static_cast<double>(buckets_.buckets().size());
    r.metrics["fuzz.vm_restarts"] = restarts_;
    if (!buckets_.buckets().empty()) {
      const double found_s = buckets_.buckets()[0].first_found_s;
      r.metrics["fuzz.first_crash_s"] = found_s;
      if (setup_.starvation) {
        const auto wall_ns = static_cast<int64_t>(found_s * 1e9);
        r.metrics["fuzz.first_crash_s_less_starvation"] =
            setup_.starvation->less_starvation_ms(spawn_ns_, spawn_ns_ + wall_ns) / 1e3;
      }
    }

    nlohmann::json buckets = nlohmann::json::array();
    for (const auto& bucket : buckets_.buckets()) buckets.push_back(save_bucket(bucket, r));
    r.analysis["fuzz"] = {{"target", config_.target},
                          {"corpus_dir", config_.corpus_dir.string()},
                          {"replay", !config_.replay.empty()},
                          {"corpus_stored", stored_},
                          {"buckets", buckets}};
    if (coverage_) save_coverage(r);
    stats::Chart coverage{.id = "fuzz.coverage",
                          .title = "Fuzzing: edges covered",
                          .x_label = "run time",
                          .x_unit = "s",
                          .y_label = "edges",
                          .series = {{"edges", analysis::thin_points(edges_, 500)}}};
    analysis::add_chart(r.analysis, coverage);
    stats::Chart rate{.id = "fuzz.rate",
                      .title = "Fuzzing: inputs per second (guest clock)",
                      .x_label = "run time",
                      .x_unit = "s",
                      .y_label = "execs/s",
                      .y_unit = "ops/s",
                      .series = {{"execs/s", analysis::thin_points(rates_, 500)}}};
    analysis::add_chart(r.analysis, rate);
  }

 private:
  // The VM ended: its crash, if it had one, joins its bucket. True when it crashed.
  bool close_life() {
    execs_ += life_execs_;
    life_execs_ = 0;
    campaign::RunResult seen;
    detector_->finish(nullptr, seen);
    detector_.emplace(symbolizer_ ? &*symbolizer_ : nullptr, 0);
    if (!seen.crash || seen.findings.empty()) return false;
    CrashSample sample = crash_sample(*seen.crash, seen.findings.front());
    sample.input = std::move(crash_input_);
    sample.found_s = crash_found_s_;
    crash_input_.reset();
    ++crashes_;
    if (config_.replay.empty()) buckets_.add(sample);
    return true;
  }

  // Keeps the bucket's smallest input (across runs) in the corpus folder with a repro bundle
  // that replays it; returns the bucket for report.json.
  nlohmann::json save_bucket(const CrashBucket& bucket, const campaign::RunResult& r) {
    nlohmann::json j = {{"id", bucket.id},
                        {"key", bucket.key},
                        {"signature", bucket.smallest.signature},
                        {"count", bucket.count},
                        {"first_found_s", bucket.first_found_s},
                        {"seed", r.seed}};
    if (!bucket.smallest.input) return j;
    std::string input = *bucket.smallest.input;
    if (config_.minimize_runs > 0 && setup_.make_vm && setup_.schema) {
      const Minimized m = minimize(
          input, bucket.key,
          [this](const std::string& i) -> std::optional<std::string> {
            try {
              return replay_in_vm(i);
            } catch (const std::exception& e) {  // the input as found is still kept
              minimize_error_ = e.what();
              return std::nullopt;
            }
          },
          config_.minimize_runs);
      if (!minimize_error_.empty()) j["minimize_error"] = minimize_error_;
      j["found_bytes"] = input.size();
      j["minimize_reruns"] = m.reruns;
      input = m.input;
    }
    j["input_bytes"] = input.size();
    // An earlier run's input as small stays, with its bundle.
    const auto kept = corpus_->keep_smallest(bucket.id, input, [&](const auto& folder) {
      if (setup_.spec) write_repro_bundle(j, folder / "input", bucket, r, folder);
    });
    j["input"] = kept.input.string();
    j["input_bytes"] = kept.bytes;
    if (setup_.spec) j["repro_bundle"] = (kept.input.parent_path() / "repro.json").string();
    return j;
  }

  // The bucket's repro bundle: the same spec with `fuzz.replay` set to its input.
  void write_repro_bundle(const nlohmann::json& j, const std::filesystem::path& input_path,
                          const CrashBucket& bucket, const campaign::RunResult& r,
                          const std::filesystem::path& folder) {
    auto replay = std::make_shared<FuzzConfig>(config_);
    replay->replay = input_path;
    replay->jobs = 0;  // a bundle is one run
    campaign::Spec spec = *setup_.spec;
    for (auto& [name, hook] : spec.hooks)
      if (name == "fuzz") hook = replay;
    campaign::RunResult run;
    run.seed = r.seed;
    run.verdict = campaign::Verdict::Crash;
    run.reason = bucket.smallest.reason;
    run.signature = bucket.smallest.signature;
    run.command_line = r.command_line;
    run.analysis["fuzz"] = j;
    run.analysis["fuzz"]["input"] = input_path.string();
    campaign::write_bundle(
        campaign::make_bundle(spec, run, setup_.run_folder / "console.log", folder),
        folder / "repro.json");
  }

  // coverage.info in the run folder, and per source file its lines and functions reached.
  void save_coverage(campaign::RunResult& r) {
    const auto path = setup_.run_folder / kCoverageName;
    atomic_write(path, coverage_->lcov(config_.target));
    r.analysis["fuzz"]["coverage"] = coverage_->summary(path);
    r.metrics["fuzz.lines_hit"] = r.analysis["fuzz"]["coverage"]["lines_hit"].get<double>();
  }

  // Boots a VM that replays `input` alone; the bucket key of its crash, nullopt when it did not
  // crash (or did not end within its limit).
  std::optional<std::string> replay_in_vm(const std::string& input) {
    struct Listener final : vm::VmListener {
      marker::MarkerStream* stream;
      void on_console(int, std::string_view bytes, int64_t host_ns) override {
        stream->feed(bytes, host_ns);
      }
      void on_vm_event(const vm::VmEvent&) override {}
    };
    vm::VmConfig config = *setup_.config;
    config.name = config.name.substr(0, 59) + "-min";
    config.output_dir = setup_.run_folder / "minimize";
    config.initrd = config.output_dir / kImageName;
    config.replay = {};
    if (const auto at = config.append.rfind(" replay=0"); at != std::string::npos)
      config.append.replace(at, 9, " replay=1");
    if (const auto at = config.append.rfind(" coverage=1"); at != std::string::npos)
      config.append.replace(at, 11, " coverage=0");  // only the crash counts here
    std::filesystem::create_directories(config.output_dir);
    atomic_write(config.initrd, corpus_image({input}));
    marker::MarkerStream stream(*setup_.schema);
    campaign::CrashDetector detector(symbolizer_ ? &*symbolizer_ : nullptr, 0);
    stream.add_observer(&detector);
    Listener listener;
    listener.stream = &stream;
    auto vm = setup_.make_vm(config);
    vm->start();
    const int64_t limit = monotonic_ns() + kReplayLimitNs;
    while (!vm->exit() && monotonic_ns() < limit)
      vm->pump(std::chrono::milliseconds(100), listener, -1);
    if (!vm->exit()) vm->kill();
    vm->pump(std::chrono::milliseconds(0), listener, -1);
    stream.finish(monotonic_ns());
    campaign::RunResult seen;
    detector.finish(nullptr, seen);
    if (!seen.crash || seen.findings.empty()) return std::nullopt;
    return bucket_key(crash_sample(*seen.crash, seen.findings.front()));
  }

  const FuzzConfig& config_;
  campaign::HookSetup setup_;
  std::optional<CorpusDir> corpus_;  // none in a replay
  std::optional<campaign::Symbolizer> symbolizer_;
  std::optional<campaign::CrashDetector> detector_;  // of the VM running now
  std::optional<coverage::LineCoverage> coverage_;   // summed over the run's VMs
  uint64_t unknown_sites_ = 0;
  CrashBuckets buckets_;
  std::optional<std::string> crash_input_;
  double crash_found_s_ = 0;
  int64_t spawn_ns_ = 0;
  int64_t deadline_ns_ = 0;
  int restarts_ = 0;
  bool stopped_ = false;
  uint64_t execs_ = 0, life_execs_ = 0;
  uint64_t new_inputs_ = 0, stored_ = 0, crashes_ = 0;
  std::vector<stats::Point> edges_, rates_;
  std::vector<std::string> problems_;
  std::string minimize_error_;
};

std::filesystem::path resolve(const std::string& origin, const std::string& path) {
  const std::filesystem::path p(path);
  return (p.is_absolute() ? p : std::filesystem::path(origin).parent_path() / p).lexically_normal();
}

const std::vector<campaign::MetricInfo>& fuzz_metrics() {
  using B = campaign::MetricInfo::Better;
  using C = campaign::MetricInfo::Clock;
  static const std::vector<campaign::MetricInfo> metrics = {
      {"fuzz.execs", "", B::Higher, "inputs the guest ran, over every VM of the run"},
      {"fuzz.execs_per_s", "ops/s", B::Higher,
       "inputs per second by the guest's clock, mean of its FUZZ:STATS intervals"},
      {"fuzz.edges", "", B::Higher, "most edges covered at once (one VM's map)"},
      {"fuzz.new_inputs", "", B::Neither, "inputs the guest reported as new coverage"},
      {"fuzz.crashes", "", B::Lower, "VMs that crashed"},
      {"fuzz.buckets", "", B::Lower, "distinct crashes (exception and top frames)"},
      {"fuzz.first_crash_s", "s", B::Neither,
       "run time until the first crashing input ran, host wall time", C::HostWall},
      {"fuzz.first_crash_s_less_starvation", "s", B::Neither,
       "the same less the time QEMU waited for a host CPU meanwhile, restarted VMs' start-ups "
       "included",
       C::HostLessStarvation},
      {"fuzz.vm_restarts", "", B::Neither, "VMs started after a crash"},
      {"fuzz.lines_hit", "", B::Higher,
       "source lines of the instrumented code that ran (fuzz.coverage), over the run's VMs"},
  };
  return metrics;
}

}  // namespace

std::vector<std::string> FuzzConfig::host_access(const std::filesystem::path& own_folder) const {
  if (!replay.empty()) {
    if (path_within(replay, own_folder)) return {};
    return {"gives the guest the bytes of " + quoted_text(replay.string()) + " (fuzz.replay)"};
  }
  if (path_within(corpus_dir, own_folder)) return {};
  return {"gives the guest the inputs under " + quoted_text(corpus_dir.string()) +
          " and writes the inputs and crashes it finds there (fuzz.corpus_dir)"};
}

nlohmann::json FuzzConfig::to_json() const {
  nlohmann::json j = {{"target", target},
                      {"duration_s", duration_s},
                      {"corpus_dir", corpus_dir.string()},
                      {"max_restarts", max_restarts},
                      {"minimize_runs", minimize_runs},
                      {"coverage", coverage}};
  if (jobs > 0) j["jobs"] = jobs;
  if (!replay.empty()) j["replay"] = replay.string();
  return j;
}

std::shared_ptr<const FuzzConfig> parse_fuzz_config(const nlohmann::json& section,
                                                    const std::string& origin, double scale) {
  JsonReader r(section, origin, "fuzz");
  auto config = std::make_shared<FuzzConfig>();
  config->target = r.required(r.string("target"), "target");
  if (std::find(std::begin(kTargets), std::end(kTargets), config->target) == std::end(kTargets)) {
    std::string known;
    for (const char* t : kTargets) known += (known.empty() ? "" : ", ") + std::string(t);
    r.fail("target", "unknown fuzz target \"" + config->target + "\" (rayos has: " + known + ")");
  }
  const double duration = r.required(r.number("duration_s"), "duration_s");
  if (!(duration > 0)) r.fail("duration_s", "must be a positive number of seconds");
  config->duration_s = duration * scale;
  config->corpus_dir = resolve(origin, r.required(r.string("corpus_dir"), "corpus_dir"));
  if (auto replay = r.string("replay")) config->replay = resolve(origin, *replay);
  config->max_restarts = static_cast<int>(r.integer("max_restarts", 0, 100000).value_or(1000));
  config->minimize_runs = static_cast<int>(r.integer("minimize_runs", 0, 10000).value_or(32));
  config->jobs = static_cast<int>(r.integer("jobs", 1, 1000).value_or(0));
  config->coverage = r.boolean("coverage").value_or(true);
  r.reject_unknown();
  return config;
}

campaign::RunHookInfo fuzz_hook_info() {
  return {"fuzz",
          "coverage-guided fuzzing inside the guest: corpus kept in a folder across runs, "
          "crashes bucketed with a repro bundle each (docs/fuzz-campaigns.md)",
          fuzz_metrics(),
          [](const nlohmann::json& section, const std::string& origin, double scale) {
            return std::shared_ptr<const campaign::HookConfig>(
                parse_fuzz_config(section, origin, scale));
          },
          [](const campaign::HookConfig& config, const campaign::HookSetup& setup) {
            return std::make_unique<FuzzHook>(static_cast<const FuzzConfig&>(config), setup);
          }};
}

}  // namespace osh::guestfuzz
