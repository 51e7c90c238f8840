// run_one's verdict paths without QEMU: a scripted FakeVm plays the guest, and each test checks
// the verdict, reason and artefacts one way of ending a run gives.
#include "harness/campaign/runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <fstream>

#include "harness/base/errors.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/vm/testing/fake_vm.h"

namespace osh::campaign {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using vm::testing::FakeVm;
using vm::testing::FakeVmScript;
using vm::testing::guest_exit;
using vm::testing::ScriptStep;

constexpr const char* kSchema = R"({"prefix": "RAYOS", "markers": [
  {"marker": "BOOT:START", "fields": [{"name": "version", "type": "word"}]},
  {"marker": "BOOT:READY", "fields": []},
  {"marker": "SYS:HEARTBEAT", "fields": [{"name": "uptime_ms", "type": "u64"}]},
  {"marker": "SYS:EXIT", "fields": [{"name": "code", "type": "u32"}]},
  {"marker": "SYS:PANIC", "fields": [{"name": "kind", "type": "id"}, {"name": "detail", "type": "word"}]}]})";

struct NoOptions final : vm::BackendOptions {
  nlohmann::json to_json() const override { return nlohmann::json::object(); }
};

// A hook that does what a test tells it at its first tick after BOOT:READY.
struct ScriptedHook final : RunHook {
  std::function<void(RunControl&)> on_ready;
  std::function<void(vm::Vm&)> before;
  std::function<void(RunResult&)> on_finish;  // while the run, and its HookSetup, still live
  std::vector<int64_t> marker_ns;             // every marker's stamp
  int restarts_after_exit = 0;  // how many times to ask for a new VM after the guest's own exit
  int exits_seen = 0;
  bool ready = false;
  bool done = false;
  int starts = 0;
  void before_start(vm::Vm& vm) override {
    ++starts;
    if (before) before(vm);
  }
  void on_marker(const marker::MarkerEvent& e) override {
    ready = ready || e.is("BOOT", "READY");
    marker_ns.push_back(e.host_ns);
  }
  bool restart_after_exit(int64_t) override { return ++exits_seen <= restarts_after_exit; }
  void tick(int64_t, RunControl& control) override {
    if (ready && !done && on_ready) {
      done = true;
      on_ready(control);
    }
  }
  int64_t next_tick_ns() const override { return ready && !done ? 0 : INT64_MAX; }
  void finish(RunResult& r) override {
    r.analysis["probe"] = {{"starts", starts}};
    if (on_finish) on_finish(r);
  }
};

struct NoConfig final : HookConfig {
  nlohmann::json to_json() const override { return nlohmann::json::object(); }
};

class RunnerTest : public ::testing::Test {
 protected:
  RunnerTest() : schema_(marker::Schema::parse(kSchema, "test schema")) {
    char dir[] = "/tmp/osh-runner-test-XXXXXX";
    out_ = ::mkdtemp(dir);
    plugins_.backends.push_back(
        {"fake", "scripted VMs",
         [](JsonReader&, std::vector<std::string>&) { return std::make_shared<const NoOptions>(); },
         [this](const vm::VmConfig& config, const vm::BackendOptions&) {
           configs_.push_back(config);
           FakeVmScript script;
           if (!scripts_.empty()) {
             script = std::move(scripts_.front());
             scripts_.pop_front();
           }
           vms_.push_back(script.counts);
           auto vm = std::make_unique<FakeVm>(std::move(script));
           return std::unique_ptr<vm::Vm>(std::move(vm));
         }});
    plugins_.run_hooks.push_back({"probe",
                                  "",
                                  {},
                                  [](const nlohmann::json&, const std::string&, double) {
                                    return std::make_shared<const NoConfig>();
                                  },
                                  [this](const HookConfig&, const HookSetup& setup) {
                                    hook_setup_ = setup;
                                    auto hook = std::make_unique<ScriptedHook>();
                                    hook_ = hook.get();
                                    if (configure_hook_) configure_hook_(*hook);
                                    return std::unique_ptr<RunHook>(std::move(hook));
                                  }});
    env_.plugins = &plugins_;
    env_.schema = [this](const std::string&) -> const marker::Schema& { return schema_; };
    env_.stop_signal = &stop_;
  }
  ~RunnerTest() override { std::filesystem::remove_all(out_); }

  // A spec with fast limits; `extra` is merged over it.
  Spec spec(const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json j = {{"name", "t"},
                        {"guest", {{"kernel", "/proc/self/exe"}, {"backend", "fake"}}},
                        {"scenario", "hello"},
                        {"timeouts", {{"idle_s", 0.3}, {"heartbeat_s", 0.3}, {"deadline_s", 2}}}};
    j.merge_patch(extra);
    return parse_spec(j, "t.json", "", {plugins_, "/bin", 1.0});
  }

  RunResult run(const Spec& s, uint64_t seed = 7) {
    spec_ = s;
    return run_one({&spec_, seed, 0, out_}, env_);
  }

  // A host so loaded that the VM waits for a CPU half the time: BOOT:START, BOOT:READY at
  // 300 ms, the guest's exit at `exit_ms`.
  static FakeVmScript half_starved_boot(int64_t exit_ms) {
    FakeVmScript script;
    script.steps = {{0, "RAYOS_BOOT:START:1.0\n", {}, {}},
                    {300, "RAYOS_BOOT:READY\n", {}, {}},
                    {exit_ms, "RAYOS_SYS:EXIT:0\n", {}, guest_exit(0)}};
    script.run_delay_ns_per_s = 500'000'000;
    return script;
  }

  // BOOT:START, BOOT:READY at 10 ms, then `steps`.
  static FakeVmScript booting(std::vector<ScriptStep> steps) {
    FakeVmScript script;
    script.steps = {{0, "RAYOS_BOOT:START:1.0\n", {}, {}}, {10, "RAYOS_BOOT:READY\n", {}, {}}};
    script.steps.insert(script.steps.end(), steps.begin(), steps.end());
    return script;
  }

  std::filesystem::path out_;
  Plugins plugins_;
  marker::Schema schema_;
  std::atomic<int> stop_{0};
  RunEnvironment env_;
  Spec spec_ = Spec{};
  std::deque<FakeVmScript> scripts_;
  std::vector<std::shared_ptr<vm::testing::FakeVmCounts>> vms_;  // the VMs die with their run
  std::vector<vm::VmConfig> configs_;
  std::function<void(ScriptedHook&)> configure_hook_;
  ScriptedHook* hook_ = nullptr;
  HookSetup hook_setup_;
};

TEST_F(RunnerTest, AGuestThatBootsAndExitsZeroPasses) {
  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:0\n", {}, guest_exit(0)}}));
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason;
  EXPECT_TRUE(r.boot_ms.has_value());
  EXPECT_EQ(r.accel, "tcg");
  EXPECT_EQ(r.command_line, std::vector<std::string>{"fake-vm"});
  EXPECT_TRUE(r.repro_bundle.empty());
  EXPECT_EQ(configs_.at(0).append, "osh.scenario=hello osh.seed=7");
  std::ifstream log(out_ / r.console_log);
  std::string text((std::istreambuf_iterator<char>(log)), {});
  EXPECT_EQ(text, "RAYOS_BOOT:START:1.0\nRAYOS_BOOT:READY\nRAYOS_SYS:EXIT:0\n");
}

TEST_F(RunnerTest, ConsoleTimesHoldOneHostTimePerConsoleLine) {
  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:0\n", {}, guest_exit(0)}}));
  const auto r = run(spec());
  std::ifstream times(out_ / std::filesystem::path(r.console_log).parent_path() / "console.times");
  std::vector<int64_t> ns;
  for (std::string line; std::getline(times, line);) ns.push_back(std::stoll(line));
  ASSERT_EQ(ns.size(), 3u);  // the three lines of console.log
  EXPECT_GT(ns[0], 0);
  EXPECT_LE(ns[0], ns[1]);
  EXPECT_LT(ns[1], ns[2]);  // the exit line came 20 ms after the boot
}

TEST_F(RunnerTest, ADeterministicSpecGivesItsVmTheRunsSeedAndItsRecordSaysDeterministic) {
  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:0\n", {}, guest_exit(0)}}));
  auto r = run(spec({{"guest", {{"deterministic", true}}}}), 1234);
  EXPECT_TRUE(configs_.at(0).deterministic);
  EXPECT_EQ(configs_.at(0).seed, 1234u);
  EXPECT_TRUE(r.deterministic);
  EXPECT_EQ(r.determinism, "");
  EXPECT_EQ(to_json(r)["deterministic"], true);
  EXPECT_TRUE(run_result_from_json(to_json(r), "t").deterministic);

  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:0\n", {}, guest_exit(0)}}));
  r = run(spec());
  EXPECT_FALSE(configs_.at(1).deterministic);
  EXPECT_FALSE(r.deterministic);
  EXPECT_EQ(to_json(r)["deterministic"], false);
}

TEST_F(RunnerTest, AWrongExitCodeFailsAndLeavesABundle) {
  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:3\n", {}, guest_exit(3)}}));
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::Fail) << r.reason;
  ASSERT_FALSE(r.repro_bundle.empty());
  EXPECT_TRUE(std::filesystem::exists(out_ / r.repro_bundle));
}

// A bundle names the initrd it booted with and its SHA-256, as it does the kernel.
TEST_F(RunnerTest, ABundleHashesTheInitrd) {
  const auto initrd = out_ / "initrd.img";
  std::ofstream(initrd) << "abc";
  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:3\n", {}, guest_exit(3)}}));
  const auto r = run(spec({{"guest", {{"initrd", initrd.string()}}}}));
  ASSERT_FALSE(r.repro_bundle.empty());
  const auto bundle = read_bundle(out_ / r.repro_bundle);
  EXPECT_EQ(bundle.initrd_path, initrd.string());
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(bundle.initrd_sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(configs_.at(0).initrd, initrd);
}

TEST_F(RunnerTest, SilenceIsAHangAfterTheIdleLimit) {
  scripts_.push_back(booting({}));
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::Hang) << r.reason;
  EXPECT_THAT(r.reason, HasSubstr("no console output"));
  EXPECT_EQ(vms_.at(0)->kills, 1) << "the harness ends a hung VM";
}

TEST_F(RunnerTest, HeartbeatsStoppingWhileTheConsoleTalksIsAHang) {
  std::vector<ScriptStep> steps = {{20, "RAYOS_SYS:HEARTBEAT:1000\n", {}, {}}};
  for (int ms = 100; ms < 1500; ms += 100) steps.push_back({ms, "noise\n", {}, {}});
  scripts_.push_back(booting(steps));
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::Hang) << r.reason;
  EXPECT_THAT(r.reason, HasSubstr("heartbeat"));
}

TEST_F(RunnerTest, AGuestStillTalkingAtTheDeadlineIsATimeout) {
  std::vector<ScriptStep> steps;
  for (int ms = 20; ms < 3000; ms += 50)
    steps.push_back({ms, "RAYOS_SYS:HEARTBEAT:" + std::to_string(ms) + "\n", {}, {}});
  scripts_.push_back(booting(steps));
  const auto r = run(spec({{"timeouts", {{"deadline_s", 0.5}}}}));
  EXPECT_EQ(r.verdict, Verdict::Timeout) << r.reason;
}

// A host so loaded that the VM waits for a CPU half the time: boot_ms leaves the waits out, so
// `boot_ms <= 250` holds for a boot that took 300 ms of wall time; boot_ms_raw keeps the wall time.
TEST_F(RunnerTest, BootTimeLeavesOutTheTimeTheVmWaitedForAHostCpu) {
  scripts_.push_back(half_starved_boot(320));
  const auto r = run(spec({{"criteria", {"boot_ms <= 250"}}}));
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason;
  ASSERT_TRUE(r.boot_ms && r.boot_ms_raw);
  EXPECT_GE(*r.boot_ms_raw, 300);
  EXPECT_NEAR(*r.boot_ms, *r.boot_ms_raw / 2, 20) << "half of it waiting";
  EXPECT_EQ(r.metrics.at("boot_ms"), *r.boot_ms);
  EXPECT_EQ(r.metrics.at("boot_ms_raw"), *r.boot_ms_raw);
  EXPECT_LT(r.metrics.at("first_output_ms"), r.metrics.at("first_output_ms_raw") + 1e-9);
}

// The same host: the run's own length is given both ways, and a criterion on the wall-time one
// says, when it fails, that the host's load may be why and how long QEMU waited.
TEST_F(RunnerTest, DurationLessStarvationAndALoadSensitiveCriterion) {
  scripts_.push_back(half_starved_boot(400));
  const auto r =
      run(spec({{"criteria", {"duration_ms <= 300", "duration_ms_less_starvation <= 300"}}}));
  ASSERT_EQ(r.criteria.size(), 2u);
  EXPECT_TRUE(r.criteria[0].load_sensitive);
  EXPECT_FALSE(r.criteria[0].passed) << "400 ms of wall time";
  EXPECT_FALSE(r.criteria[1].load_sensitive);
  EXPECT_TRUE(r.criteria[1].passed) << "half of the 400 ms waiting";
  EXPECT_NEAR(r.metrics.at("starved_ms"), r.duration_ms / 2, 20);
  EXPECT_NEAR(r.metrics.at("duration_ms_less_starvation"),
              r.duration_ms - r.metrics.at("starved_ms"), 1e-6);
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_THAT(r.reason, HasSubstr("host wall time, load-sensitive: QEMU waited "));
}

// The same host: the runner keeps a record of QEMU's waits over the run and hands it to the
// hooks (and analyzers), which take off the wait between any two markers: about half of the
// 300 ms from BOOT:START to BOOT:READY.
TEST_F(RunnerTest, HooksGetTheWaitBetweenTwoMarkersFromTheRunsRecord) {
  scripts_.push_back(half_starved_boot(320));
  double wall_ms = 0, starved_ms = -1;
  configure_hook_ = [&](ScriptedHook& h) {
    h.on_finish = [&, hook = &h](RunResult&) {
      ASSERT_NE(hook_setup_.starvation, nullptr);
      ASSERT_EQ(hook->marker_ns.size(), 3u);
      wall_ms = static_cast<double>(hook->marker_ns[1] - hook->marker_ns[0]) / 1e6;
      starved_ms = static_cast<double>(hook_setup_.starvation->starved_ns_between(
                       hook->marker_ns[0], hook->marker_ns[1])) /
                   1e6;
    };
  };
  const auto r = run(spec({{"probe", nlohmann::json::object()}}));
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason;
  EXPECT_NEAR(wall_ms, 300, 20);
  EXPECT_NEAR(starved_ms, wall_ms / 2, 20) << "half of it waiting";
}

TEST_F(RunnerTest, AStopSignalIsAnInfraErrorNamingIt) {
  scripts_.push_back(booting({}));
  stop_ = SIGINT;
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::InfraError) << r.reason;
  EXPECT_THAT(r.reason, HasSubstr("interrupted by SIGINT"));
  EXPECT_EQ(r.signature, "INFRA_ERROR interrupted");
}

// The guest's last line without its line feed when the harness stops the VM: the stop cut it, so
// it is not a malformed marker, and the verdict is the stop's.
TEST_F(RunnerTest, ALineCutByAStopSignalIsNotAMalformedMarker) {
  FakeVmScript script;
  script.steps = {{0, "RAYOS_BOOT:START:1.0\n", {}, {}},
                  {10, "RAYOS_BOOT:READY\nRAYOS_SYS:HEARTB", {}, {}}};
  scripts_.push_back(script);
  configure_hook_ = [this](ScriptedHook& h) {
    h.on_ready = [this](RunControl&) { stop_ = SIGTERM; };
  };
  const auto r = run(spec({{"probe", nlohmann::json::object()}}));
  EXPECT_EQ(r.verdict, Verdict::InfraError) << r.reason;
  EXPECT_EQ(r.signature, "INFRA_ERROR interrupted");
  EXPECT_EQ(r.markers.malformed, 0u);
  EXPECT_EQ(r.markers.noise_lines, 1u) << "the cut line still counts, as noise";
}

TEST_F(RunnerTest, ALineCutByTheDeadlineKeepsTheTimeout) {
  std::vector<ScriptStep> steps;
  for (int ms = 20; ms < 400; ms += 50)
    steps.push_back({ms, "RAYOS_SYS:HEARTBEAT:" + std::to_string(ms) + "\n", {}, {}});
  steps.push_back({400, "RAYOS_SYS:HEARTBEAT:4", {}, {}});
  scripts_.push_back(booting(steps));
  const auto r = run(spec({{"timeouts", {{"deadline_s", 0.6}}}}));
  EXPECT_EQ(r.verdict, Verdict::Timeout) << r.reason;
  EXPECT_EQ(r.markers.malformed, 0u);
}

TEST_F(RunnerTest, AGuestThatEndsOnItsOwnMidLineStillLeavesAMalformedMarker) {
  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:0\nRAYOS_SYS:HEARTB", {}, guest_exit(0)}}));
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::Fail) << r.reason;
  EXPECT_EQ(r.signature, "FAIL markers-malformed");
  EXPECT_EQ(r.markers.malformed, 1u);
}

TEST_F(RunnerTest, AGuestThatAnnouncesItsExitButStaysUpIsShutDownAfterTheGrace) {
  std::vector<ScriptStep> steps = {{20, "RAYOS_SYS:EXIT:0\n", {}, {}}};
  for (int ms = 100; ms < 4000; ms += 100) steps.push_back({ms, ".\n", {}, {}});
  scripts_.push_back(booting(steps));
  const auto r = run(spec({{"timeouts", {{"deadline_s", 10}}}}));
  EXPECT_EQ(vms_.at(0)->shutdowns, 1);
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason;
  EXPECT_GE(r.duration_ms, 2000) << "the grace is two seconds";
}

TEST_F(RunnerTest, QemuDyingOfASignalIsACrash) {
  vm::VmExit died{vm::VmExit::How::Signaled, 0, SIGSEGV, {}, {}, "Segmentation fault", 0};
  scripts_.push_back(booting({{30, "", {}, died}}));
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::Crash) << r.reason;
  EXPECT_THAT(r.reason, HasSubstr("QEMU was killed by SIGSEGV"));
}

TEST_F(RunnerTest, AGuestPanicIsACrash) {
  scripts_.push_back(
      booting({{20, "RAYOS_SYS:PANIC:PAGE_FAULT:cr2=0\n", {}, {}}, {30, "", {}, guest_exit(125)}}));
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::Crash) << r.reason;
  EXPECT_EQ(r.signature, "CRASH PAGE_FAULT");
}

// A Linux panic leaves the guest spinning silently: the run ends when the report does, well
// before the idle limit, with the panic's own title and a signature that tells panics apart.
TEST_F(RunnerTest, ALinuxPanicIsACrashWithItsTitleAsSoonAsItsReportEnds) {
  const auto panic = [](const std::string& why) {
    return std::vector<ScriptStep>{
        {20, "[    2.1] Kernel panic - not syncing: " + why + "\n", {}, {}},
        {25, "[    2.1] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0 #1\n", {}, {}},
        {26,
         "[    2.1] Call Trace:\n[    2.1]  dump_stack_lvl+0x44/0x5c\n"
         "[    2.1]  panic+0x118/0x2ed\n[    2.1]  do_exit.cold+0x15/0x15\n",
         {},
         {}},
        {27, "[    2.1] ---[ end Kernel panic - not syncing: " + why + " ]---\n", {}, {}}};
  };
  scripts_.push_back(booting(panic("Attempted to kill init! exitcode=0x00000100")));
  scripts_.push_back(booting(panic("VFS: Unable to mount root fs on unknown-block(0,0)")));
  const auto s = spec({{"timeouts", {{"idle_s", 5}, {"deadline_s", 10}}}});
  const auto init = run(s);
  EXPECT_EQ(init.verdict, Verdict::Crash) << init.reason;
  EXPECT_EQ(init.signature, "CRASH kernel panic: Attempted to kill init!");
  EXPECT_THAT(init.reason, HasSubstr("kernel crash: kernel panic: Attempted to kill init!"));
  EXPECT_LT(init.duration_ms, 4000) << "ended by the report, not by the 5 s idle limit";
  ASSERT_TRUE(init.crash.has_value());
  EXPECT_EQ(init.crash->kind, "PANIC");
  ASSERT_EQ(init.crash->frames.size(), 3u);
  EXPECT_EQ(init.crash->frames[2].symbol, "do_exit.cold");
  EXPECT_EQ(init.analysis["kernel_reports"][0]["first_line"], 3);
  const auto vfs = run(s);
  EXPECT_EQ(vfs.signature,
            "CRASH kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)");
}

TEST_F(RunnerTest, AKernelWarningFailsUnlessTheSpecSaysOtherwise) {
  const std::vector<ScriptStep> steps = {
      {20, "WARNING: CPU: 0 PID: 1 at drivers/osh/demo.c:9 demo_probe+0x1/0x2\n", {}, {}},
      {21, "RIP: 0010:demo_probe+0x1/0x2\n---[ end trace 0000000000000000 ]---\n", {}, {}},
      {30, "RAYOS_SYS:EXIT:0\n", {}, guest_exit(0)}};
  scripts_.push_back(booting(steps));
  scripts_.push_back(booting(steps));
  const auto failed = run(spec());
  EXPECT_EQ(failed.verdict, Verdict::Fail) << failed.reason;
  EXPECT_EQ(failed.signature, "FAIL WARNING in demo_probe");
  const auto ignored = run(spec({{"guest", {{"kernel_warnings", "ignore"}}}}));
  EXPECT_EQ(ignored.verdict, Verdict::Pass) << ignored.reason;
}

TEST_F(RunnerTest, ABackendThatCannotStartIsAnInfraErrorWithoutABundle) {
  FakeVmScript script;
  script.start_error = "qemu-system-x86_64 not found";
  scripts_.push_back(script);
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::InfraError);
  EXPECT_EQ(r.reason, "qemu-system-x86_64 not found");
  EXPECT_TRUE(r.repro_bundle.empty());
}

TEST_F(RunnerTest, AHookThatThrowsEndsTheRunAsAnInfraErrorNamingIt) {
  scripts_.push_back(booting({}));
  configure_hook_ = [](ScriptedHook& h) {
    h.on_ready = [](RunControl&) { throw InfraError("QMP said no"); };
  };
  const auto r = run(spec({{"probe", nlohmann::json::object()}}));
  EXPECT_EQ(r.verdict, Verdict::InfraError);
  EXPECT_EQ(r.reason, "probe: QMP said no");
  EXPECT_EQ(r.signature, "INFRA_ERROR probe");
}

TEST_F(RunnerTest, AHookAskingForACapabilityTheBackendLacksGetsItsName) {
  scripts_.push_back(booting({}));
  configure_hook_ = [](ScriptedHook& h) {
    h.before = [](vm::Vm& vm) { vm::require(vm, vm.disk_errors(), "inject disk I/O errors"); };
  };
  const auto r = run(spec({{"probe", nlohmann::json::object()}}));
  EXPECT_EQ(r.verdict, Verdict::InfraError);
  EXPECT_EQ(r.reason, "the fake backend cannot inject disk I/O errors");
}

TEST_F(RunnerTest, AHookCanRestartTheVmAndTheRunGoesOnOnTheNewOne) {
  scripts_.push_back(booting({}));
  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:0\n", {}, guest_exit(0)}}));
  configure_hook_ = [](ScriptedHook& h) {
    h.on_ready = [](RunControl& control) {
      control.vm().kill();
      control.restart();
    };
  };
  const auto r = run(spec({{"probe", nlohmann::json::object()}}));
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason;
  ASSERT_EQ(vms_.size(), 2u);
  EXPECT_EQ(vms_[0]->kills, 1);
  EXPECT_EQ(r.analysis["probe"]["starts"], 2) << "before_start for every VM of the run";
  EXPECT_EQ(r.markers.total, 5u) << "both boots' markers, one stream";
  EXPECT_EQ(hook_setup_.seed, 7u);
  EXPECT_EQ(hook_setup_.config->name, configs_.at(0).name);
}

TEST_F(RunnerTest, AHookCanHaveAVmThatEndedByItselfReplacedAndTheRunGoesOn) {
  // The first guest panics and ends; the hook asks for another, which exits 0.
  scripts_.push_back(booting({{20, "RAYOS_SYS:PANIC:PAGE_FAULT:rip=0x1\n", {}, guest_exit(125)}}));
  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:0\n", {}, guest_exit(0)}}));
  configure_hook_ = [](ScriptedHook& h) { h.restarts_after_exit = 1; };
  const auto r = run(spec({{"probe", nlohmann::json::object()}}));
  ASSERT_EQ(vms_.size(), 2u);
  EXPECT_EQ(vms_[0]->kills, 0) << "it had ended by itself";
  EXPECT_EQ(hook_->exits_seen, 2) << "asked after each VM's end";
  EXPECT_EQ(r.analysis["probe"]["starts"], 2);
  EXPECT_EQ(r.markers.total, 6u) << "both boots' markers, one stream";
  EXPECT_EQ(r.verdict, Verdict::Crash) << "the first VM's panic stays the run's finding";
  EXPECT_EQ(hook_setup_.spec, &spec_);
}

TEST_F(RunnerTest, AFailedRunsBundleCarriesWhatItsHooksRecorded) {
  scripts_.push_back(booting({{20, "RAYOS_SYS:EXIT:1\n", {}, guest_exit(1)}}));
  const auto r = run(spec({{"probe", nlohmann::json::object()}}));
  ASSERT_EQ(r.verdict, Verdict::Fail);
  std::ifstream in(out_ / r.repro_bundle);
  const auto bundle = nlohmann::json::parse(in);
  EXPECT_EQ(bundle["hooks"]["probe"]["starts"], 1);
  EXPECT_EQ(bundle["spec"]["probe"], nlohmann::json::object());
}

TEST_F(RunnerTest, AnUnreadableKernelIsAnInfraErrorSayingWhatToFix) {
  const auto r = run(spec({{"guest", {{"kernel", "/nonexistent/k.elf"}}}}));
  EXPECT_EQ(r.verdict, Verdict::InfraError);
  EXPECT_THAT(r.reason, HasSubstr("guest kernel /nonexistent/k.elf is not readable"));
  EXPECT_THAT(r.reason, Not(HasSubstr("cmake"))) << "only rayos is built by this project";
  EXPECT_TRUE(vms_.empty());
  const auto rayos = run(spec({{"guest", {{"kernel", "/nonexistent/rayos.elf"}}}}));
  EXPECT_THAT(rayos.reason, HasSubstr("build it with `cmake --build build`"));
}

// The guest's console never carried the schema's lifecycle markers (a wrong prefix): no PASS,
// and the reason says what was expected and what came instead.
TEST_F(RunnerTest, ARunWithoutBootReadyDoesNotPassAndSaysWhatTheConsoleShowed) {
  FakeVmScript script;
  script.steps = {{0, "LNXGUEST_BOOT:START:6.1\nhello from init\n", {}, {}},
                  {10, "", {}, guest_exit(0)}};
  scripts_.push_back(script);
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::Fail) << r.reason;
  EXPECT_EQ(r.signature, "FAIL no BOOT:READY");
  EXPECT_THAT(r.reason, HasSubstr("never printed RAYOS_BOOT:READY"));
  EXPECT_THAT(r.reason, HasSubstr("2 line(s), 0 of them RAYOS_ markers"));
  EXPECT_THAT(r.reason, HasSubstr("\"LNXGUEST_BOOT:START:6.1\""));
}

// A campaign's own verdict marker fails the run even when its analyzer is not named.
TEST_F(RunnerTest, ACompleteMarkerSayingFailIsAFailWithoutItsAnalyzer) {
  schema_ = marker::Schema::permissive("RAYOS");
  scripts_.push_back(booting(
      {{20, "RAYOS_SOAK:COMPLETE:fail\n", {}, {}}, {30, "RAYOS_SYS:EXIT:0\n", {}, guest_exit(0)}}));
  const auto r = run(spec());
  EXPECT_EQ(r.verdict, Verdict::Fail) << r.reason;
  EXPECT_EQ(r.reason, "the guest's own soak verdict is fail (SOAK:COMPLETE:fail)");
  EXPECT_EQ(r.findings.size(), 1u);
}

}  // namespace
}  // namespace osh::campaign
