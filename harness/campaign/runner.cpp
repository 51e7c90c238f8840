#include "harness/campaign/runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <optional>
#include <vector>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/campaign/analyzer.h"
#include "harness/campaign/console_log.h"
#include "harness/campaign/crash_detector.h"
#include "harness/campaign/lifecycle.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/symbolizer.h"
#include "harness/campaign/watchdog.h"
#include "harness/marker/marker_stream.h"
#include "inject/fault_injector.h"

namespace osh::campaign {
namespace {

constexpr int64_t kProgressIntervalNs = 200'000'000;
constexpr int64_t kMaxPumpNs = 100'000'000;
// A guest that announced SYS:EXIT but whose VM is still up after this is shut down by us.
constexpr int64_t kExitGraceNs = 2'000'000'000;
constexpr auto kShutdownGrace = std::chrono::milliseconds(1000);

// Feeds console bytes to the log, the watchdog and the marker stream; keeps VM events.
class Console final : public vm::VmListener {
 public:
  Console(marker::MarkerStream& stream, ConsoleLogFile& log, Watchdog& watchdog,
          inject::FaultInjector* injector)
      : stream_(stream), log_(log), watchdog_(watchdog), injector_(injector) {}

  void on_console(int /*port*/, std::string_view bytes, int64_t host_ns) override {
    log_.write(bytes);
    watchdog_.on_output(host_ns);
    stream_.feed(bytes, host_ns);
  }
  void on_vm_event(const vm::VmEvent& event) override {
    if (injector_) injector_->on_vm_event(event);
  }

 private:
  marker::MarkerStream& stream_;
  ConsoleLogFile& log_;
  Watchdog& watchdog_;
  inject::FaultInjector* injector_;
};

// Notices SYS:EXIT so that a guest without an exit device is not left to idle out.
class ExitMarker final : public marker::MarkerObserver {
 public:
  void on_marker(const marker::MarkerEvent& event) override {
    if (event.is("SYS", "EXIT") && !seen_ns) seen_ns = event.host_ns;
  }
  std::optional<int64_t> seen_ns;
};

std::string signal_text(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

void add_base_metrics(RunResult& r) {
  const auto& m = r.markers;
  r.metrics["duration_ms"] = r.duration_ms;
  r.metrics["markers.total"] = static_cast<double>(m.total);
  r.metrics["markers.lost"] = static_cast<double>(m.lost);
  r.metrics["markers.corrupt"] = static_cast<double>(m.corrupt);
  r.metrics["markers.malformed"] = static_cast<double>(m.malformed);
  r.metrics["markers.noise_lines"] = static_cast<double>(m.noise_lines);
  if (r.exit.guest_exit_code) r.metrics["exit_code"] = *r.exit.guest_exit_code;
}

// DESIGN §6: a run passes only without lost, corrupt or malformed markers.
void add_marker_findings(RunResult& r) {
  const auto& m = r.markers;
  const auto first_of = [&](marker::LineKind kind) -> std::string {
    for (const auto& p : r.problems)
      if (p.kind == kind)
        return " (first at line " + std::to_string(p.line_no) + ": " + p.reason + ")";
    return "";
  };
  if (m.lost)
    r.findings.push_back({Verdict::Fail, std::to_string(m.lost) + " marker(s) lost (sequence gaps)",
                          "FAIL markers-lost"});
  if (m.corrupt)
    r.findings.push_back({Verdict::Fail,
                          std::to_string(m.corrupt) + " corrupt marker(s) (CRC mismatch)" +
                              first_of(marker::LineKind::Corrupt),
                          "FAIL markers-corrupt"});
  if (m.malformed)
    r.findings.push_back({Verdict::Fail,
                          std::to_string(m.malformed) + " malformed marker(s)" +
                              first_of(marker::LineKind::Malformed),
                          "FAIL markers-malformed"});
}

std::string measured_text(const CriterionResult& c) {
  char value[64];
  if (c.value) {
    std::snprintf(value, sizeof value, "%g", *c.value);
  } else {
    std::snprintf(value, sizeof value, "not measured");
  }
  return c.metric + " = " + value;
}

}  // namespace

void evaluate_criteria(const Spec& spec, RunResult& r) {
  const bool emulated = r.accel == vm::to_string(vm::Accel::Tcg);
  const auto check = [&](const std::vector<Criterion>& list, const char* kind, bool gating) {
    for (const auto& c : list) {
      auto result = evaluate(c, r.metrics);
      result.gating = gating;
      if (!result.passed && gating)
        r.findings.push_back(
            {Verdict::Fail, std::string(kind) + " " + c.text + " failed: " + measured_text(result),
             std::string("FAIL ") + kind + " " + c.text});
      r.criteria.push_back(std::move(result));
    }
  };
  check(spec.criteria, "criterion", true);
  check(spec.targets, "target", !emulated);
}

std::filesystem::path run_folder(const RunPlan& plan) {
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%03d-", plan.index);
  return plan.out_dir / "runs" / (prefix + plan.spec->name + "-s" + std::to_string(plan.seed));
}

void decide_verdict(RunResult& r) {
  // Stable: among findings of the same verdict the first one recorded is the reason.
  std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    return severity(a.verdict) > severity(b.verdict);
  });
  if (r.findings.empty()) {
    r.verdict = Verdict::Pass;
    r.reason = "all checks passed";
    r.signature = "PASS";
    // A missed target that did not gate still has to be visible where people read the verdict.
    std::string missed;
    for (const auto& c : r.criteria)
      if (!c.passed && !c.gating)
        missed += (missed.empty() ? "" : ", ") + measured_text(c) + " (target " + c.text + ")";
    if (!missed.empty()) r.reason += "; missed under TCG, not gating: " + missed;
  } else {
    r.verdict = r.findings.front().verdict;
    r.reason = r.findings.front().reason;
    r.signature = r.findings.front().signature;
  }
}

RunResult run_one(const RunPlan& plan, RunEnvironment& env) {
  const Spec& spec = *plan.spec;
  RunResult r;
  r.index = plan.index;
  r.name = spec.name;
  r.scenario = spec.scenario;
  r.params = spec.params;
  r.seed = plan.seed;
  r.spec_origin = spec.origin;
  r.started_unix_ms = realtime_ns() / 1'000'000;
  r.exit.how = "not started";

  const auto folder = run_folder(plan);
  const auto console_path = folder / "console.log";
  r.console_log = std::filesystem::relative(console_path, plan.out_dir).string();
  const auto infra = [&](const std::string& reason) {
    r.findings.push_back({Verdict::InfraError, reason, "INFRA_ERROR"});
    decide_verdict(r);
    return r;
  };

  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return infra("cannot create " + folder.string() + ": " + ec.message());
  std::optional<ConsoleLogFile> log;
  const marker::Schema* schema = nullptr;
  try {
    log.emplace(console_path);
    schema = &env.schema(spec.guest.schema);
  } catch (const std::exception& e) {
    return infra(e.what());
  }
  if (::access(spec.guest.kernel.c_str(), R_OK) != 0) {
    return infra(
        errno_message("guest kernel " + spec.guest.kernel.string() + " is not readable", errno) +
        " (build it with `cmake --build build`, or fix guest.kernel in " + spec.origin + ")");
  }

  // Symbols are a nicety: a kernel that is not an ELF still runs, its frames stay bare.
  std::optional<Symbolizer> symbolizer;
  try {
    symbolizer.emplace(spec.guest.kernel);
  } catch (const InputError&) {
  }

  AccelChoice accel;
  try {
    accel = env.choose_accel(spec.guest.accel);
  } catch (const std::exception& e) {
    return infra(e.what());
  }
  r.accel = std::string(vm::to_string(accel.accel));
  r.accel_reason = accel.reason;

  vm::VmConfig config;
  config.name = folder.filename().string();
  config.kernel = spec.guest.kernel;
  config.machine = spec.guest.machine;
  config.memory = spec.guest.memory;
  config.cpus = spec.guest.cpus;
  config.accel = accel.accel;
  config.append = kernel_command_line(spec, plan.seed);
  config.icount = spec.guest.icount;
  config.extra_args = spec.guest.qemu_args;
  config.output_dir = folder;
  if (spec.guest.disk_mib) {
    // In the run's folder, not the VM's run directory: it must outlive a restarted QEMU.
    try {
      config.drives.push_back(vm::Drive{.image = vm::create_disk_image(folder, spec.guest.disk_mib),
                                        .format = "raw",
                                        .id = "disk0"});
    } catch (const std::exception& e) {
      return infra(e.what());
    }
  }

  inject::DiskTarget disk;
  if (spec.faults) {
    try {
      disk = inject::prepare_disk(inject::make_schedule(*spec.faults, plan.seed), folder, config);
    } catch (const std::exception& e) {
      return infra(e.what());
    }
  }

  std::unique_ptr<vm::Vm> vm;
  try {
    vm = env.make_vm(config);
    vm->start();
    r.command_line = vm->command_line();  // known once start() has built it
  } catch (const std::exception& e) {
    if (vm) r.command_line = vm->command_line();
    return infra(e.what());
  }

  const int64_t spawn_ns = vm->spawn_ns();
  marker::MarkerStream stream(*schema);
  Watchdog watchdog(spec.timeouts, spawn_ns);
  CrashDetector crash(symbolizer ? &*symbolizer : nullptr, spec.expect_exit_code);
  Lifecycle lifecycle;
  GuestTests guest_tests;
  ExitMarker exit_marker;
  std::vector<std::unique_ptr<Analyzer>> analyzers;
  for (const auto& name : spec.analyzers) {
    if (const auto* info = find_analyzer(name)) analyzers.push_back(info->make());
  }
  for (marker::MarkerObserver* o : std::initializer_list<marker::MarkerObserver*>{
           &watchdog, &crash, &lifecycle, &guest_tests, &exit_marker})
    stream.add_observer(o);
  for (auto& a : analyzers) stream.add_observer(a.get());
  std::optional<inject::FaultInjector> injector;
  if (spec.faults) {
    injector.emplace(*spec.faults, plan.seed, plan.index, spawn_ns, disk, env.journal);
    stream.add_observer(&*injector);
  }
  Console console(stream, *log, watchdog, injector ? &*injector : nullptr);

  int64_t starved_base = vm->cpu_usage().run_delay_ns;
  int64_t starved_before = 0;  // of VMs that an injected kill replaced
  inject::VmControl control{[&]() -> vm::Vm& { return *vm; },
                            [&] {
                              // What the killed QEMU left is part of the run; its last line may
                              // have been cut.
                              vm->pump(std::chrono::milliseconds(0), console, -1);
                              const size_t problems_before = stream.problems().size();
                              stream.finish(monotonic_ns());
                              std::vector<uint64_t> cut;
                              for (size_t i = problems_before; i < stream.problems().size(); ++i)
                                cut.push_back(stream.problems()[i].line_no);
                              starved_before += vm->cpu_usage().run_delay_ns - starved_base;
                              vm = env.make_vm(config);
                              vm->start();
                              starved_base = vm->cpu_usage().run_delay_ns;
                              return cut;
                            }};
  int64_t next_progress = spawn_ns;
  bool stopped_by_us = false;
  while (!vm->exit()) {
    const int64_t now = monotonic_ns();
    if (env.stop_signal && env.stop_signal->load() != 0) {
      vm->kill();
      r.findings.push_back({Verdict::InfraError,
                            "interrupted by " + signal_text(env.stop_signal->load()) + " after " +
                                std::to_string((now - spawn_ns) / 1'000'000) + " ms",
                            "INFRA_ERROR interrupted"});
      stopped_by_us = true;
      break;
    }
    if (injector) {
      try {
        injector->tick(now, control);
      } catch (const std::exception& e) {
        vm->kill();
        r.findings.push_back({Verdict::InfraError, std::string("fault injection: ") + e.what(),
                              "INFRA_ERROR fault-injection"});
        stopped_by_us = true;
        break;
      }
    }
    // Time the harness held the VM paused is not the guest's to answer for.
    const int64_t held = injector ? injector->paused_ns(now) : 0;
    if (auto finding = watchdog.check(
            now, starved_before + vm->cpu_usage().run_delay_ns - starved_base, held)) {
      vm->kill();
      r.findings.push_back(std::move(*finding));
      stopped_by_us = true;
      break;
    }
    if (exit_marker.seen_ns && now - *exit_marker.seen_ns > kExitGraceNs) {
      vm->shutdown(kShutdownGrace);
      break;
    }
    if (env.progress && now >= next_progress) {
      env.progress({plan.index, spec.name, plan.seed, static_cast<double>(now - spawn_ns) / 1e9,
                    stream.counts().total, stream.counts().lines});
      next_progress = now + kProgressIntervalNs;
      log->flush();
    }
    int64_t next = watchdog.next_check_ns();
    if (injector) next = std::min(next, injector->next_tick_ns());
    const int64_t wait = std::clamp<int64_t>(next - now, 0, kMaxPumpNs);
    vm->pump(std::chrono::milliseconds(wait / 1'000'000), console, env.wake_fd);
  }
  // Bytes still queued when the VM was stopped are part of the run.
  vm->pump(std::chrono::milliseconds(0), console, -1);
  const int64_t end_ns = monotonic_ns();
  stream.finish(end_ns);
  log->close();
  if (!log->error().empty())
    r.findings.push_back({Verdict::InfraError, log->error(), "INFRA_ERROR console-log"});

  r.duration_ms = static_cast<double>(end_ns - spawn_ns) / 1e6;
  r.deadline_extension_s = watchdog.extension_s();
  r.markers = stream.counts();
  r.problems = stream.problems();
  if (vm->exit()) r.exit = exit_info(*vm->exit());
  crash.finish(stopped_by_us || !vm->exit() ? nullptr : &*vm->exit(), r);
  lifecycle.finish(spawn_ns, r);
  guest_tests.finish(r);
  for (auto& a : analyzers) a->finish(r);
  if (injector) injector->finish(r);
  add_base_metrics(r);
  add_marker_findings(r);
  evaluate_criteria(spec, r);
  decide_verdict(r);
  vm.reset();  // tears the VM down (and its run directory) before the bundle is written

  if (r.verdict != Verdict::Pass) {
    try {
      const auto bundle_path = folder / "repro.json";
      write_bundle(make_bundle(spec, r, console_path, folder), bundle_path);
      r.repro_bundle = std::filesystem::relative(bundle_path, plan.out_dir).string();
    } catch (const std::exception& e) {
      r.findings.push_back({Verdict::InfraError, e.what(), "INFRA_ERROR repro-bundle"});
      decide_verdict(r);
    }
  }
  return r;
}

}  // namespace osh::campaign
