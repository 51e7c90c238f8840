#include "harness/campaign/runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/private_files.h"
#include "harness/base/signals.h"
#include "harness/campaign/console_log.h"
#include "harness/campaign/console_times.h"
#include "harness/campaign/crash_detector.h"
#include "harness/campaign/determinism.h"
#include "harness/campaign/judge.h"
#include "harness/campaign/kernel_crashes.h"
#include "harness/campaign/ktap_tests.h"
#include "harness/campaign/lifecycle.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/starvation.h"
#include "harness/campaign/starvation_record.h"
#include "harness/campaign/symbolizer.h"
#include "harness/campaign/watchdog.h"
#include "harness/marker/marker_stream.h"

namespace osh::campaign {
namespace {

constexpr int64_t kProgressIntervalNs = 200'000'000;
constexpr int64_t kMaxPumpNs = 100'000'000;
// A guest that announced SYS:EXIT but whose VM is still up after this is shut down by us.
constexpr int64_t kExitGraceNs = 2'000'000'000;
constexpr auto kShutdownGrace = std::chrono::milliseconds(1000);

std::string signal_text(int sig) { return signal_name(sig); }

// Notices SYS:EXIT so that a guest without an exit device is not left to idle out.
class ExitMarker final : public marker::MarkerObserver {
 public:
  void on_marker(const marker::MarkerEvent& event) override {
    if (event.is("SYS", "EXIT") && !seen_ns) seen_ns = event.host_ns;
  }
  std::optional<int64_t> seen_ns;
};

// One run from its plan to its verdict. execute() takes the four steps in order; each step
// after prepare() works on what the previous one left.
class Run final : public RunControl, public vm::VmListener {
 public:
  Run(const RunPlan& plan, RunEnvironment& env) : plan_(plan), spec_(*plan.spec), env_(env) {}

  RunResult execute() {
    // A run that never got a VM has nothing to reproduce: its reason says what to fix.
    if (!prepare()) return std::move(r_);
    run_loop();
    judge_result();
    if (r_.verdict != Verdict::Pass) {
      write_repro_bundle();
    } else if (config_.replay.mode == vm::RecordReplay::Mode::Record) {
      std::error_code ignored;  // only a failure's recording is worth its space
      std::filesystem::remove(config_.replay.log, ignored);
    }
    return std::move(r_);
  }

 private:
  // 1. The run's folder, console log, schema, symbols, VM config and run hooks; then the first
  // VM and the observers that count from its spawn. False (an INFRA_ERROR verdict) when any of
  // it cannot be had.
  bool prepare();
  // 2. Pumps the VM until it ends, a limit passes, a hook fails or the harness is told to stop.
  void run_loop();
  // 3. Ends the console stream, collects every observer's findings and metrics, and judges.
  void judge_result();
  // 4. A run that did not pass leaves a repro bundle beside its console log.
  void write_repro_bundle();

  void on_console(int /*port*/, std::string_view bytes, int64_t host_ns) override {
    // Before the bytes are parsed: their markers' stamps then fall on this reading.
    read_starvation(host_ns);
    log_->write(bytes);
    times_->write(bytes, host_ns);
    watchdog_->on_output(host_ns);
    stream_->feed(bytes, host_ns);
  }
  void on_vm_event(const vm::VmEvent& event) override {
    for (auto& hook : hooks_) hook->on_vm_event(event);
  }

  vm::Vm& vm() override { return *vm_; }
  std::vector<uint64_t> restart() override;
  // The VM ended by itself: restarts it when a hook asks for that (false otherwise, or when the
  // new VM could not start: then the run ends INFRA_ERROR).
  bool restart_after_exit();

  // A new VM on the run's config, its hooks told, started.
  std::unique_ptr<vm::Vm> start_vm();
  // Records an INFRA_ERROR before the loop could run; returns false for prepare().
  bool infra(const std::string& reason) {
    r_.findings.push_back({Verdict::InfraError, reason, "INFRA_ERROR"});
    decide_verdict(r_);
    return false;
  }
  // The harness ends the run (a limit, a hook's failure, a stop signal): kills the VM and
  // records why.
  void stop(Finding why) {
    vm_->kill();
    r_.findings.push_back(std::move(why));
    stopped_by_us_ = true;
    cut_by_us_ = true;
  }
  // QEMU's time runnable but not running since the run began, over every VM of the run.
  int64_t starved_ns() const {
    return starved_before_ + vm_->cpu_usage().run_delay_ns - starved_base_;
  }
  // The same from each VM's spawn, its start-up included: the wait within duration_ms, as
  // boot_ms leaves out the wait from the spawn. Measured: under load most of a hello run's wait
  // falls in QEMU's start-up, before the watchdog's count begins.
  int64_t starved_since_spawn_ns() const { return starved_ns() + starved_at_starts_; }
  void read_starvation(int64_t host_ns) {
    if (starvation_.due(host_ns)) starvation_.record(host_ns, starved_since_spawn_ns());
  }

  const RunPlan& plan_;
  const Spec& spec_;
  RunEnvironment& env_;
  RunResult r_;
  std::filesystem::path folder_;
  std::filesystem::path console_path_;
  std::optional<ConsoleLogFile> log_;
  std::optional<ConsoleTimesFile> times_;
  const marker::Schema* schema_ = nullptr;
  std::optional<Symbolizer> symbolizer_;
  vm::VmConfig config_;
  const vm::VmBackend* backend_ = nullptr;
  std::vector<std::unique_ptr<RunHook>> hooks_;
  std::unique_ptr<vm::Vm> vm_;
  int64_t spawn_ns_ = 0;
  // Observers that count from the first VM's spawn.
  std::optional<marker::MarkerStream> stream_;
  std::optional<Watchdog> watchdog_;
  std::optional<CrashDetector> crash_;
  std::optional<KernelCrashes> kernel_crashes_;
  std::optional<KtapTests> ktap_;
  Lifecycle lifecycle_;
  GuestTests guest_tests_;
  ExitMarker exit_marker_;
  std::vector<std::unique_ptr<Analyzer>> analyzers_;
  int64_t starved_base_ = 0;
  int64_t starved_before_ = 0;     // of VMs that a restart replaced
  int64_t starved_at_starts_ = 0;  // each VM's run delay when it had started
  // starved_since_spawn_ns() over the run, for analyzers and hooks; read before any VM starts.
  StarvationRecord starvation_;
  bool stopped_by_us_ = false;
  // The harness ended the VM (stop() or the exit grace's shutdown): a last line without its line
  // feed was cut by us, not by the guest.
  bool cut_by_us_ = false;
};

bool Run::prepare() {
  r_.index = plan_.index;
  r_.name = spec_.name;
  r_.repeat = plan_.repeat;
  r_.repeats = plan_.repeats;
  r_.scenario = spec_.scenario;
  r_.params = spec_.params;
  r_.seed = plan_.seed;
  r_.spec_origin = spec_.origin;
  r_.started_unix_ms = realtime_ns() / 1'000'000;
  r_.exit.how = "not started";

  folder_ = run_folder(plan_);
  console_path_ = folder_ / "console.log";
  r_.console_log = std::filesystem::relative(console_path_, plan_.out_dir).string();
  try {
    make_private_directory(folder_.parent_path());  // runs/
    make_private_directory(folder_);
    log_.emplace(console_path_);
    times_.emplace(folder_ / "console.times");
    schema_ = &env_.schema(schema_key(spec_.guest));
    r_.marker_prefix = schema_->prefix();
  } catch (const std::exception& e) {
    return infra(e.what());
  }
  if (::access(spec_.guest.kernel.c_str(), R_OK) != 0) {
    return infra(
        errno_message("guest kernel " + spec_.guest.kernel.string() + " is not readable", errno) +
        // Only rayos is built by this project's cmake; any other kernel is the user's to fix.
        (spec_.guest.kernel.filename() == "rayos.elf"
             ? " (build it with `cmake --build build`, or fix guest.kernel in " + spec_.origin + ")"
             : " (fix guest.kernel in " + spec_.origin + ")"));
  }
  // Symbols are a nicety: a kernel that is not an ELF still runs, its frames stay bare.
  try {
    symbolizer_.emplace(spec_.guest.kernel);
  } catch (const InputError&) {
  }

  config_.name = folder_.filename().string();
  config_.kernel = spec_.guest.kernel;
  config_.initrd = spec_.guest.initrd;
  config_.memory = spec_.guest.memory;
  config_.cpus = spec_.guest.cpus;
  config_.append = kernel_command_line(spec_, plan_.seed);
  config_.deterministic = spec_.guest.deterministic;
  config_.seed = plan_.seed;
  if (!spec_.guest.replay_log.empty())
    config_.replay = {vm::RecordReplay::Mode::Replay, spec_.guest.replay_log};
  else if (spec_.guest.record)
    config_.replay = {vm::RecordReplay::Mode::Record, folder_ / kReplayLog};
  const auto determinism = determinism_of(spec_);
  r_.deterministic = determinism.deterministic;
  r_.determinism = determinism.reason;
  config_.output_dir = folder_;
  backend_ = env_.plugins->backend(spec_.guest.backend);
  if (!backend_ || !spec_.guest.backend_options)
    return infra("no VM backend \"" + spec_.guest.backend + "\" in this osharness (it has " +
                 env_.plugins->backend_names() + ")");
  try {
    if (spec_.guest.disk_mib) {
      // In the run's folder, not the VM's run directory: it must outlive a restarted VM.
      config_.drives.push_back(
          vm::Drive{.image = vm::create_disk_image(folder_, spec_.guest.disk_mib),
                    .format = "raw",
                    .id = "disk0"});
    }
    const vm::VmBackend* backend = backend_;
    const vm::BackendOptions* options = spec_.guest.backend_options.get();
    const HookSetup setup{
        plan_.seed,
        plan_.index,
        folder_,
        &config_,
        env_.journal,
        schema_,
        [backend, options](const vm::VmConfig& config) { return backend->make(config, *options); },
        &spec_,
        &starvation_};
    for (const auto& [name, hook_config] : spec_.hooks) {
      const auto* info = env_.plugins->run_hook(name);
      if (!info) return infra("no run hook for the spec's \"" + name + "\" in this osharness");
      hooks_.push_back(info->make(*hook_config, setup));
    }
    for (auto& hook : hooks_) hook->configure(config_);
    vm_ = start_vm();
  } catch (const std::exception& e) {
    if (vm_) r_.command_line = vm_->command_line();
    return infra(e.what());
  }

  spawn_ns_ = vm_->spawn_ns();
  starved_base_ = vm_->cpu_usage().run_delay_ns;
  starved_at_starts_ = starved_base_;
  starvation_.record(spawn_ns_, 0);
  starvation_.record(monotonic_ns(), starved_since_spawn_ns());  // QEMU's start-up
  stream_.emplace(*schema_);
  watchdog_.emplace(spec_.timeouts, spawn_ns_);
  // Boot time less the first VM's run delay since its spawn (its vCPU threads start after the
  // spawn).
  lifecycle_ = Lifecycle(*schema_, [this] { return vm_ ? vm_->cpu_usage().run_delay_ns : 0; });
  crash_.emplace(symbolizer_ ? &*symbolizer_ : nullptr, spec_.expect_exit_code);
  for (marker::MarkerObserver* o : std::initializer_list<marker::MarkerObserver*>{
           &*watchdog_, &*crash_, &lifecycle_, &guest_tests_, &exit_marker_})
    stream_->add_observer(o);
  if (const auto* table = oslog::CrashTable::builtin(spec_.guest.crash_reports)) {
    kernel_crashes_.emplace(*table, warning_policy(spec_.guest.kernel_warnings));
    stream_->add_observer(&*kernel_crashes_);
  }
  if (spec_.guest.ktap) stream_->add_observer(&ktap_.emplace());
  for (const auto& name : spec_.analyzers) {
    if (const auto* info = env_.plugins->analyzer(name)) {
      analyzers_.push_back(info->make({&starvation_}));
      stream_->add_observer(analyzers_.back().get());
    }
  }
  for (auto& hook : hooks_) {
    hook->started(spawn_ns_);
    stream_->add_observer(hook.get());
  }
  return true;
}

std::unique_ptr<vm::Vm> Run::start_vm() {
  std::unique_ptr<vm::Vm> vm = backend_->make(config_, *spec_.guest.backend_options);
  for (auto& hook : hooks_) hook->before_start(*vm);
  try {
    const auto slot =
        env_.start_gate ? env_.start_gate->enter(env_.stop_signal) : StartGate::Slot(nullptr);
    vm->start();
  } catch (...) {
    r_.command_line = vm->command_line();
    r_.accel = vm->accelerator().name;
    r_.accel_reason = vm->accelerator().reason;
    throw;
  }
  r_.command_line = vm->command_line();  // known once start() has built it
  r_.accel = vm->accelerator().name;
  r_.accel_reason = vm->accelerator().reason;
  return vm;
}

std::vector<uint64_t> Run::restart() {
  // What the killed VM left is part of the run; its last line may have been cut.
  vm_->pump(std::chrono::milliseconds(0), *this, -1);
  const size_t problems_before = stream_->problems().size();
  stream_->finish(monotonic_ns());
  std::vector<uint64_t> cut;
  for (size_t i = problems_before; i < stream_->problems().size(); ++i)
    cut.push_back(stream_->problems()[i].line_no);
  starved_before_ += vm_->cpu_usage().run_delay_ns - starved_base_;
  vm_ = start_vm();
  starved_base_ = vm_->cpu_usage().run_delay_ns;
  starved_at_starts_ += starved_base_;
  return cut;
}

bool Run::restart_after_exit() {
  vm_->pump(std::chrono::milliseconds(0), *this, -1);
  bool again = false;
  const int64_t now = monotonic_ns();
  for (auto& hook : hooks_) again = hook->restart_after_exit(now) || again;
  if (!again) return false;
  try {
    restart();
  } catch (const std::exception& e) {
    r_.findings.push_back({Verdict::InfraError, e.what(), "INFRA_ERROR restart"});
    return false;
  }
  return true;
}

void Run::run_loop() {
  int64_t next_progress = spawn_ns_;
  while (!vm_->exit() || restart_after_exit()) {
    const int64_t now = monotonic_ns();
    if (env_.stop_signal && env_.stop_signal->load() != 0) {
      stop({Verdict::InfraError,
            "interrupted by " + signal_text(env_.stop_signal->load()) + " after " +
                std::to_string((now - spawn_ns_) / 1'000'000) + " ms",
            std::string(kInterruptedSignature)});
      break;
    }
    read_starvation(now);
    int64_t held = 0;  // time the hooks held the VM paused is not the guest's to answer for
    bool hook_failed = false;
    for (size_t i = 0; i < hooks_.size() && !hook_failed; ++i) {
      try {
        hooks_[i]->tick(now, *this);
        held += hooks_[i]->paused_ns(now);
      } catch (const std::exception& e) {
        const std::string& name = spec_.hooks[i].first;
        stop({Verdict::InfraError, name + ": " + e.what(), "INFRA_ERROR " + name});
        hook_failed = true;
      }
    }
    if (hook_failed) break;
    // Not at every console read: reading QEMU's CPU accounting from /proc costs more than
    // parsing a chunk of markers, and the watchdog samples starvation at its own pace.
    if (now >= watchdog_->next_check_ns()) {
      if (auto finding = watchdog_->check(now, starved_ns(), held)) {
        stop(std::move(*finding));
        break;
      }
    }
    if (kernel_crashes_ && kernel_crashes_->crash_ended()) {
      // The report is complete: waiting for an idle limit would only turn it into a HANG.
      vm_->kill();
      stopped_by_us_ = true;
      cut_by_us_ = true;
      break;
    }
    if (exit_marker_.seen_ns && now - *exit_marker_.seen_ns > kExitGraceNs) {
      vm_->shutdown(kShutdownGrace);
      cut_by_us_ = true;
      break;
    }
    if (env_.progress && now >= next_progress) {
      env_.progress({plan_.index, spec_.name, plan_.seed,
                     static_cast<double>(now - spawn_ns_) / 1e9, stream_->counts().total,
                     stream_->counts().lines});
      next_progress = now + kProgressIntervalNs;
      log_->flush();
      times_->flush();
    }
    int64_t next = watchdog_->next_check_ns();
    for (const auto& hook : hooks_) next = std::min(next, hook->next_tick_ns());
    const int64_t wait = std::clamp<int64_t>(next - now, 0, kMaxPumpNs);
    vm_->pump(std::chrono::milliseconds(wait / 1'000'000), *this, env_.wake_fd);
  }
  // Bytes still queued when the VM was stopped are part of the run.
  vm_->pump(std::chrono::milliseconds(0), *this, -1);
}

void Run::judge_result() {
  const int64_t end_ns = monotonic_ns();
  if (cut_by_us_) {
    stream_->finish_stopped(end_ns);
  } else {
    stream_->finish(end_ns);
  }
  log_->close();
  times_->close();
  if (!log_->error().empty())
    r_.findings.push_back({Verdict::InfraError, log_->error(), "INFRA_ERROR console-log"});
  if (!times_->error().empty())
    r_.findings.push_back({Verdict::InfraError, times_->error(), "INFRA_ERROR console-log"});

  r_.duration_ms = static_cast<double>(end_ns - spawn_ns_) / 1e6;
  const int64_t starved = starved_since_spawn_ns();
  starvation_.record(end_ns, starved);
  r_.metrics["starved_ms"] = static_cast<double>(starved) / 1e6;
  r_.metrics["duration_ms_less_starvation"] = less_starvation_ms(end_ns - spawn_ns_, starved);
  r_.deadline_extension_s = watchdog_->extension_s();
  r_.markers = stream_->counts();
  r_.problems = stream_->problems();
  if (vm_->exit()) r_.exit = exit_info(*vm_->exit());
  if (kernel_crashes_) kernel_crashes_->finish(r_);
  crash_->finish(stopped_by_us_ || !vm_->exit() ? nullptr : &*vm_->exit(), r_);
  lifecycle_.finish(spawn_ns_, r_);
  guest_tests_.finish(r_);
  if (ktap_) ktap_->finish(r_);
  for (auto& a : analyzers_) a->finish(r_);
  for (auto& hook : hooks_) hook->finish(r_);
  judge(spec_, r_);
  vm_.reset();  // tears the VM down (and its run directory) before the bundle is written
}

void Run::write_repro_bundle() {
  try {
    const auto bundle_path = folder_ / "repro.json";
    write_bundle(make_bundle(spec_, r_, console_path_, folder_), bundle_path);
    r_.repro_bundle = std::filesystem::relative(bundle_path, plan_.out_dir).string();
  } catch (const std::exception& e) {
    r_.findings.push_back({Verdict::InfraError, e.what(), "INFRA_ERROR repro-bundle"});
    decide_verdict(r_);
  }
}

}  // namespace

std::filesystem::path run_folder(const RunPlan& plan) {
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%03d-", plan.index);
  return plan.out_dir / "runs" / (prefix + plan.spec->name + "-s" + std::to_string(plan.seed));
}

RunResult run_one(const RunPlan& plan, RunEnvironment& env) { return Run(plan, env).execute(); }

}  // namespace osh::campaign
