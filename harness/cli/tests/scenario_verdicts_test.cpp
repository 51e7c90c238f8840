// The verdict of every rayos scenario that exercises the harness, end to end: the real
// osharness boots the real rayos.elf under QEMU and writes report.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/base/escape.h"
#include "harness/campaign/journal.h"
#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using nlohmann::json;

class ScenarioTest : public ::testing::Test {
 protected:
  // `osharness run --kernel rayos.elf --scenario <scenario> <extra...> --out <tmp>/out`
  Finished run(const std::string& scenario, std::vector<std::string> extra = {},
               std::chrono::seconds limit = std::chrono::seconds(300)) {
    std::vector<std::string> args = {
        "run", "--kernel", rayos_kernel().string(), "--scenario", scenario, "--seed",
        "42",  "--out",    out().string(),          "--accel",    "tcg"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_osharness(args, dir_.path(), limit);
  }
  std::filesystem::path out() const { return dir_.path() / "out"; }
  json report() const { return read_json(out() / "report.json"); }
  json only_run() const {
    const auto r = report();
    EXPECT_EQ(r["runs"].size(), 1u);
    return r["runs"][0];
  }
  std::string console_log(const json& run) const {
    return read_file(out() / run["console_log"].get<std::string>());
  }

  TempDir dir_;
};

TEST_F(ScenarioTest, HelloPasses) {
  const auto f = run("hello");
  EXPECT_EQ(f.status.code, 0) << f.out << f.err;
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "PASS") << r["reason"];
  EXPECT_EQ(r["seed"], 42);
  EXPECT_TRUE(r["boot_ms"].is_number());
  EXPECT_GT(r["markers"]["total"].get<int>(), 3);
  EXPECT_EQ(r["markers"]["lost"], 0);
  EXPECT_EQ(r["markers"]["corrupt"], 0);
  EXPECT_EQ(r["markers"]["malformed"], 0);
  EXPECT_EQ(r["exit"]["guest_exit_code"], 0);
  // The QEMU argv, for reproducing by hand (it was empty until start() built it).
  const auto argv = r["command_line"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-kernel"), argv.end()) << r["command_line"];
  // Every report is written.
  for (const char* name : {"journal.jsonl", "junit.xml", "summary.md"})
    EXPECT_TRUE(std::filesystem::exists(out() / name)) << name;
  EXPECT_NE(console_log(r).find("RAYOS_BOOT:READY"), std::string::npos);
}

TEST_F(ScenarioTest, HelloPassesOnThePcMachineToo) {
  const auto f = run("hello", {"--machine", "pc"});
  EXPECT_EQ(f.status.code, 0) << f.out << f.err;
  EXPECT_EQ(only_run()["verdict"], "PASS");
}

TEST_F(ScenarioTest, DiskMibGivesTheGuestAFreshDiskItCanVerify) {
  const auto f = run("stress", {"--disk-mib", "4", "--param", "type=disk", "--param",
                                "levels=0,100", "--param", "level_ms=500", "--param", "iops=200"});
  EXPECT_EQ(f.status.code, 0) << f.out << f.err;
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "PASS") << r["reason"];
  const std::string log = console_log(r);
  EXPECT_NE(log.find("RAYOS_STRESS:DISK:100:"), std::string::npos) << log;
  EXPECT_NE(log.find("RAYOS_STRESS:COMPLETE:pass"), std::string::npos) << log;
  // The image stays in the run's folder, at the size asked for.
  size_t images = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(out() / "runs"))
    if (e.path().filename() == "disk.img") {
      ++images;
      EXPECT_EQ(std::filesystem::file_size(e.path()), 4u << 20);
    }
  EXPECT_EQ(images, 1u);
  // Without a disk the disk load cannot start: the guest says why and fails.
  std::filesystem::remove_all(out());
  const auto without = run("stress", {"--param", "type=disk", "--param", "levels=0"});
  EXPECT_EQ(without.status.code, 1) << without.out << without.err;
  EXPECT_NE(console_log(only_run()).find("RAYOS_STRESS:ERROR:no_virtio_mmio.device"),
            std::string::npos);
}

TEST_F(ScenarioTest, HangIsAHangWithinTheIdleLimitPlusTwoSeconds) {
  const auto f = run("hang", {"--idle-timeout", "2"});
  EXPECT_EQ(f.status.code, 3) << f.out << f.err;
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "HANG");
  EXPECT_EQ(r["signature"], "HANG output-idle");
  // Measured around the whole osharness process, start-up included.
  EXPECT_LT(f.seconds, 2.0 + 2.0);
  EXPECT_EQ(r["exit"]["how"], "killed");
}

TEST_F(ScenarioTest, SpinIsATimeoutNotAHang) {
  const auto f = run("spin", {"--timeout", "4", "--idle-timeout", "2", "--heartbeat-timeout", "2"});
  EXPECT_EQ(f.status.code, 4) << f.out << f.err;
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "TIMEOUT") << r["reason"];
  EXPECT_GE(r["metrics"]["heartbeats"].get<int>(), 3);
}

TEST_F(ScenarioTest, FaultIsACrashNamingTheFaultingFunction) {
  const auto f = run("fault");
  EXPECT_EQ(f.status.code, 2) << f.out << f.err;
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "CRASH");
  EXPECT_EQ(r["signature"], "CRASH PAGE_FAULT rayos_fault_null_dereference");
  EXPECT_NE(r["reason"].get<std::string>().find("in rayos_fault_null_dereference+0x"),
            std::string::npos)
      << r["reason"];
  EXPECT_FALSE(r["crash"]["frames"].empty());
  EXPECT_FALSE(r["repro_bundle"].get<std::string>().empty());
}

TEST_F(ScenarioTest, ReproOfTheFaultBundleCrashesAgain) {
  run("fault");
  const auto bundle = out() / only_run()["repro_bundle"].get<std::string>();
  const auto f = run_osharness(
      {"repro", bundle.string(), "--out", (dir_.path() / "repro").string()}, dir_.path());
  EXPECT_EQ(f.status.code, 0) << f.out << f.err;
  EXPECT_NE(f.out.find("repro: REPRODUCED CRASH"), std::string::npos) << f.out;
}

TEST_F(ScenarioTest, TripleFaultIsACrash) {
  const auto f = run("triple");
  EXPECT_EQ(f.status.code, 2) << f.out << f.err;
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "CRASH");
  EXPECT_EQ(r["signature"], "CRASH TRIPLE_FAULT");
  EXPECT_EQ(r["exit"]["shutdown_reason"], "guest-reset");
}

TEST_F(ScenarioTest, ExitCodeSevenFailsNamingTheCode) {
  const auto f = run("exitcode", {"--param", "code=7"});
  EXPECT_EQ(f.status.code, 1) << f.out << f.err;
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "FAIL");
  EXPECT_EQ(r["reason"], "guest exited with code 7, expected 0");
  EXPECT_EQ(r["exit"]["guest_exit_code"], 7);
}

TEST_F(ScenarioTest, AMissingKernelIsAnInfraErrorSayingWhatToDo) {
  const auto f = run_osharness({"run", "--kernel", (dir_.path() / "no-such.elf").string(),
                                "--scenario", "hello", "--out", out().string()},
                               dir_.path());
  EXPECT_EQ(f.status.code, 69) << f.out << f.err;
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "INFRA_ERROR");
  const auto reason = r["reason"].get<std::string>();
  EXPECT_NE(reason.find("no-such.elf is not readable: No such file or directory"),
            std::string::npos)
      << reason;
  // Not rayos: the hint is to fix the path, not to build it with cmake.
  EXPECT_NE(reason.find("(fix guest.kernel in command line)"), std::string::npos) << reason;
}

TEST_F(ScenarioTest, FloodOfAMillionMarkersLosesNothing) {
  // The harness's own limit, not the test's (nor ctest's 600 s), must end a slow run: 167 s at
  // load 8 here.
  const auto f =
      run("flood", {"--param", "count=1000000", "--timeout", "500"}, std::chrono::seconds(560));
  EXPECT_EQ(f.status.code, 0) << f.out << f.err;
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "PASS") << r["reason"];
  EXPECT_GE(r["markers"]["total"].get<uint64_t>(), 1'000'000u);
  EXPECT_EQ(r["markers"]["lost"], 0);
  EXPECT_EQ(r["markers"]["corrupt"], 0);
  EXPECT_EQ(r["markers"]["malformed"], 0);
}

// The guest tallies what it printed (RAYOS_GARBAGE:SUMMARY); the harness must count the same.
TEST_F(ScenarioTest, GarbageIsCountedExactlyAndListedWithLineNumbers) {
  const auto f = run("garbage");
  EXPECT_EQ(f.status.code, 1) << f.out << f.err;  // malformed markers fail a run, nothing worse
  const auto r = only_run();
  EXPECT_EQ(r["verdict"], "FAIL");
  const std::string log = console_log(r);
  const auto pos = log.find("RAYOS_GARBAGE:SUMMARY:");
  ASSERT_NE(pos, std::string::npos);
  unsigned long noise = 0, malformed = 0, corrupt = 0;
  ASSERT_EQ(std::sscanf(log.c_str() + pos, "RAYOS_GARBAGE:SUMMARY:%lu:%lu:%lu", &noise, &malformed,
                        &corrupt),
            3);
  EXPECT_GT(noise, 0u);
  EXPECT_GT(malformed, 0u);
  EXPECT_GT(corrupt, 0u);
  EXPECT_EQ(r["markers"]["noise_lines"].get<unsigned long>(), noise);
  EXPECT_EQ(r["markers"]["malformed"].get<unsigned long>(), malformed);
  EXPECT_EQ(r["markers"]["corrupt"].get<unsigned long>(), corrupt);
  EXPECT_EQ(r["markers"]["lost"], 0);

  // Each listed problem's line number points at that line of the console log.
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(log);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  ASSERT_FALSE(r["problems"].empty());
  for (const auto& p : r["problems"]) {
    const auto n = p["line"].get<size_t>();
    ASSERT_GE(n, 1u);
    ASSERT_LE(n, lines.size());
    EXPECT_EQ(escape_text_truncated(lines[n - 1], 200), p["text"].get<std::string>())
        << "line " << n;
  }
}

TEST_F(ScenarioTest, TheWorstVerdictOfSeveralRunsIsTheExitCode) {
  const auto spec = [&](const std::string& name, const std::string& scenario) {
    const auto path = dir_.path() / (name + ".json");
    std::ofstream(path) << json{
        {"name", name},
        {"guest", {{"kernel", rayos_kernel().string()}, {"accel", "tcg"}}},
        {"scenario", scenario},
        {"seed", 1}}.dump();
    return path.string();
  };
  const auto f = run_osharness({"run", spec("a", "hello"), spec("b", "fault"),
                                spec("c", "exitcode"), "--out", out().string()},
                               dir_.path());
  EXPECT_EQ(f.status.code, 2) << f.out << f.err;
  const auto r = report();
  ASSERT_EQ(r["runs"].size(), 3u);
  EXPECT_EQ(r["runs"][0]["verdict"], "PASS");
  EXPECT_EQ(r["runs"][1]["verdict"], "CRASH");
  EXPECT_EQ(r["runs"][2]["verdict"], "PASS");  // exitcode without code= exits 0
  EXPECT_EQ(r["verdict"], "CRASH");
}

TEST_F(ScenarioTest, SigtermMidRunLeavesNoQemuAndAnIntactJournal) {
  auto process = start_osharness({"run", "--kernel", rayos_kernel().string(), "--scenario", "spin",
                                  "--timeout", "60", "--accel", "tcg", "--out", out().string()},
                                 dir_.path());
  // Wait until QEMU is up and the guest is printing.
  std::vector<pid_t> qemu;
  for (int i = 0; i < 100 && qemu.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    qemu = qemu_children_of(process.pid());
  }
  ASSERT_EQ(qemu.size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ::kill(process.pid(), SIGTERM);
  const auto& status = process.wait_for(std::chrono::seconds(20));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->code, 128 + SIGTERM);
  EXPECT_FALSE(process_alive(qemu[0]));

  const auto journal = campaign::read_journal(out() / "journal.jsonl");
  EXPECT_TRUE(journal.warnings.empty());
  ASSERT_EQ(journal.records.size(), 3u);
  EXPECT_EQ(journal.records[0]["record"], "campaign");
  EXPECT_EQ(journal.records[1]["record"], "run");
  EXPECT_EQ(journal.records[1]["verdict"], "INFRA_ERROR");
  EXPECT_NE(journal.records[1]["reason"].get<std::string>().find("interrupted by SIGTERM"),
            std::string::npos);
  EXPECT_EQ(journal.records[2]["record"], "end");
  EXPECT_EQ(journal.records[2]["interrupted"], true);
  EXPECT_TRUE(std::filesystem::exists(out() / "report.json"));
}

TEST_F(ScenarioTest, SigkillOfTheHarnessTakesQemuWithIt) {
  auto process = start_osharness({"run", "--kernel", rayos_kernel().string(), "--scenario", "spin",
                                  "--timeout", "60", "--accel", "tcg", "--out", out().string()},
                                 dir_.path());
  std::vector<pid_t> qemu;
  for (int i = 0; i < 100 && qemu.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    qemu = qemu_children_of(process.pid());
  }
  ASSERT_EQ(qemu.size(), 1u);
  ::kill(process.pid(), SIGKILL);
  process.wait_for(std::chrono::seconds(10));
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = !process_alive(qemu[0]);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone) << "QEMU pid " << qemu[0] << " outlived a SIGKILLed harness";
  // What was journalled before the kill is readable.
  const auto journal = campaign::read_journal(out() / "journal.jsonl");
  ASSERT_GE(journal.records.size(), 1u);
  EXPECT_EQ(journal.records[0]["record"], "campaign");
}

}  // namespace
}  // namespace osh::cli::testing
