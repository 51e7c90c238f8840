// What a hostile or broken input, a killed harness and a loaded host must not break (issue 18),
// end to end: the real osharness, and the real rayos under QEMU where a run is needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <thread>

#include "harness/cli/tests/osharness_process.h"
#include "harness/vm/qemu/tests/test_support.h"

namespace osh::cli::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// An OSC sequence that would set the terminal's title, and a bell.
constexpr const char* kOscTitle = "\x1b]0;owned\x07";

class HostileInputTest : public ::testing::Test {
 protected:
  // `osharness run --kernel rayos.elf --scenario <scenario> ... --out <tmp>/out`
  Finished run(const std::string& scenario, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "run", "--kernel", rayos_kernel().string(), "--scenario", scenario, "--seed",
        "42",  "--out",    out().string(),          "--accel",    "tcg",    "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_osharness(args, dir_.path());
  }
  std::filesystem::path out() const { return dir_.path() / "out"; }
  // Twice as many runs as cores this process may use, for runs that wait for CPUs.
  static int twice_the_cores() {
    cpu_set_t set;
    return ::sched_getaffinity(0, sizeof set, &set) == 0 ? 2 * CPU_COUNT(&set) : 2;
  }
  // `spec` as `jobs` runs all at once, into out().
  Finished run_at_once(json spec, int jobs) {
    spec["repeat"] = jobs;
    write(dir_.path() / "loaded.json", spec.dump());
    return run_osharness(
        {"run", (dir_.path() / "loaded.json").string(), "--jobs", std::to_string(jobs), "--accel",
         "tcg", "--out", out().string(), "--quiet"},
        dir_.path());
  }
  // A failed run (hello expecting exit 3) and the path of its repro bundle.
  std::filesystem::path failed_bundle() {
    EXPECT_EQ(run("hello", {"--expect-exit", "3"}).status.code, 1);
    return out() / read_json(out() / "report.json")["runs"][0]["repro_bundle"].get<std::string>();
  }
  static void write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }

  TempDir dir_;
};

TEST_F(HostileInputTest, ReportPrintsAJournalsReasonsEscaped) {
  ASSERT_EQ(run("hello", {"--expect-exit", "3"}).status.code, 1);
  // A journal written by someone else: the run's reason holds raw control bytes.
  std::ifstream in(out() / "journal.jsonl");
  std::string journal, line;
  while (std::getline(in, line)) {
    json record = json::parse(line);
    if (record.contains("verdict")) record["reason"] = std::string("exit ") + kOscTitle;
    journal += record.dump() + "\n";
  }
  write(out() / "journal.jsonl", journal);
  const auto f = run_osharness({"report", out().string()}, dir_.path());
  EXPECT_THAT(f.out, HasSubstr("exit \\x1b]0;owned\\x07"));
  EXPECT_THAT(f.out + f.err, Not(HasSubstr("\x1b")));
  EXPECT_THAT(f.out + f.err, Not(HasSubstr("\x07")));
}

TEST_F(HostileInputTest, ReproPrintsABundlesReasonAndSignatureEscaped) {
  const auto bundle_path = failed_bundle();
  json bundle = read_json(bundle_path);
  bundle["failure"]["reason"] = std::string("reason ") + kOscTitle;
  bundle["failure"]["signature"] = std::string("FAIL ") + kOscTitle;  // so: NOT REPRODUCED
  write(bundle_path, bundle.dump());
  const auto f = run_osharness({"repro", bundle_path.string(), "--quiet"}, dir_.path());
  EXPECT_EQ(f.status.code, 1) << f.out << f.err;
  EXPECT_THAT(f.out, HasSubstr("FAIL \\x1b]0;owned\\x07 (reason \\x1b]0;owned\\x07)"));
  EXPECT_THAT(f.out + f.err, Not(HasSubstr("\x1b")));
  EXPECT_THAT(f.out + f.err, Not(HasSubstr("\x07")));
}

TEST_F(HostileInputTest, AKernelQemuCannotBootIsABadSpecAtLoadSayingWhatItIs) {
  const auto junk = dir_.path() / "junk.bin";
  write(junk, std::string(64 << 10, 'A'));
  const auto f = run_osharness(
      {"run", "--kernel", junk.string(), "--scenario", "hello", "--out", out().string(), "--quiet"},
      dir_.path());
  EXPECT_EQ(f.status.code, 65) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr("guest.kernel " + junk.string() +
                               " is no kernel format QEMU boots (not an ELF, a Linux bzImage or a "
                               "multiboot image; it starts with 41 41 41 41"));
  EXPECT_FALSE(std::filesystem::exists(out() / "journal.jsonl")) << "nothing ran";
}

TEST_F(HostileInputTest, AMemorySizeOutOfRangeIsABadSpecAtLoad) {
  const auto f = run("hello", {"--memory", "4M"});
  EXPECT_EQ(f.status.code, 65) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr("guest.memory: \"4M\": out of range; use 8M to 1024G"));
}

TEST_F(HostileInputTest, CpusIsAnAdHocSpecFieldCheckedAtLoad) {
  const auto bad = run("hello", {"--cpus", "65"});
  EXPECT_EQ(bad.status.code, 65) << bad.out << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("guest.cpus"));
  const auto two = run("hello", {"--cpus", "2"});
  EXPECT_EQ(two.status.code, 0) << two.out << two.err;
  const auto argv = read_json(out() / "report.json")["runs"][0]["command_line"];
  const auto smp = std::find(argv.begin(), argv.end(), "-smp");
  ASSERT_NE(smp, argv.end()) << argv.dump();
  EXPECT_EQ(*std::next(smp), "2");
}

TEST_F(HostileInputTest, AFolderGivenAsASpecSaysSo) {
  const auto f = run_osharness({"run", dir_.path().string(), "--out", out().string()}, dir_.path());
  EXPECT_EQ(f.status.code, 65) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr(dir_.path().string() + " is a folder, not a spec file"));
}

TEST_F(HostileInputTest, OutNamingAFileIsAUsageErrorBeforeAnyRun) {
  write(out(), "not a folder");
  const auto f = run("hello");
  EXPECT_EQ(f.status.code, 64) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr("--out " + out().string() + " is a file, not a folder"));
  EXPECT_EQ(read_file(out()), "not a folder");
}

// The permission bits of `path`.
mode_t mode(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// A file osharness writes in `dir` for each report writer.
const std::vector<std::string> kReports = {"report.json", "junit.xml", "summary.md", "report.html"};

TEST_F(HostileInputTest, OutputFoldersAndLogsArePrivateWhateverTheUmask) {
  const mode_t old_umask = ::umask(0);  // osharness inherits it
  const auto f = run("hello");
  ::umask(old_umask);
  ASSERT_EQ(f.status.code, 0) << f.out << f.err;
  const auto run_folder =
      out() / read_json(out() / "report.json")["runs"][0]["console_log"].get<std::string>();
  EXPECT_EQ(mode(out()), 0700u);
  EXPECT_EQ(mode(out() / "runs"), 0700u);
  EXPECT_EQ(mode(run_folder.parent_path()), 0700u);
  for (const auto& log :
       {out() / "journal.jsonl", run_folder, run_folder.parent_path() / "qemu.stderr.log"})
    EXPECT_EQ(mode(log), 0600u) << log;
  for (const auto& report : kReports) EXPECT_EQ(mode(out() / report), 0600u) << report;
}

// `osharness report`, `report --history` and `gate` write what a live run writes the same way:
// files 0600, the folders they create 0700, under the common umask 022 as under 0.
TEST_F(HostileInputTest, RegeneratedReportsArePrivateWhateverTheUmask) {
  ASSERT_EQ(run("hello").status.code, 0);
  for (const mode_t umask : {mode_t(022), mode_t(0)}) {
    for (const auto& report : kReports) std::filesystem::remove(out() / report);
    const auto history = dir_.path() / ("history-" + std::to_string(umask));
    const auto gate = dir_.path() / ("gate-" + std::to_string(umask));
    const mode_t old_umask = ::umask(umask);
    const auto report = run_osharness({"report", out().string()}, dir_.path());
    const auto trend = run_osharness(
        {"report", "--history", out().string(), "--out", history.string()}, dir_.path());
    const auto gated = run_osharness({"gate", "--baseline", out().string(), "--current",
                                      out().string(), "--out", gate.string(), "--quiet"},
                                     dir_.path());
    ::umask(old_umask);
    ASSERT_EQ(report.status.code, 0) << report.out << report.err;
    ASSERT_EQ(trend.status.code, 0) << trend.out << trend.err;
    ASSERT_EQ(gated.status.code, 0) << gated.out << gated.err;
    for (const auto& file : kReports) EXPECT_EQ(mode(out() / file), 0600u) << file;
    EXPECT_EQ(mode(history), 0700u);
    for (const auto& file : {"history.html", "history.md", "history.json"})
      EXPECT_EQ(mode(history / file), 0600u) << file;
    EXPECT_EQ(mode(gate), 0700u);
    for (const auto& file : {"gate.md", "gate-junit.xml"})
      EXPECT_EQ(mode(gate / file), 0600u) << file;
  }
}

TEST_F(HostileInputTest, MoreJobsThanCoresIsWarnedAbout) {
  cpu_set_t set;
  ASSERT_EQ(::sched_getaffinity(0, sizeof set, &set), 0);
  const int cores = CPU_COUNT(&set);
  const auto f = run("hello", {"--jobs", std::to_string(cores + 1)});
  EXPECT_EQ(f.status.code, 0) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr("warning: --jobs " + std::to_string(cores + 1) +
                               " is more than the " + std::to_string(cores) + " cores"));
  const auto within = run_osharness(
      {"run", "--kernel", rayos_kernel().string(), "--scenario", "hello", "--accel", "tcg",
       "--jobs", std::to_string(cores), "--out", (dir_.path() / "within").string()},
      dir_.path());
  EXPECT_EQ(within.status.code, 0) << within.out << within.err;
  EXPECT_THAT(within.err, Not(HasSubstr("warning: --jobs")));
}

// Twice as many runs at once as cores: each run's time figures come both ways, the wait between
// them measured (starved_ms), and only the criterion on the wall-time figure is load-sensitive.
TEST_F(HostileInputTest, TimeCriteriaOfRunsWaitingForCpusSayWhichClockTheyRead) {
  const int jobs = twice_the_cores();
  const auto f = run_at_once({{"name", "loaded"},
                              {"scenario", "hello"},
                              {"guest", {{"kernel", rayos_kernel().string()}}},
                              {"criteria", {"boot_ms <= 60000", "duration_ms <= 600000"}}},
                             jobs);
  ASSERT_EQ(f.status.code, 0) << f.out << f.err;
  EXPECT_THAT(f.err, HasSubstr("load-sensitive"));
  const json report = read_json(out() / "report.json");
  ASSERT_EQ(report["runs"].size(), size_t(jobs));
  double starved_ms = 0;
  for (const auto& run : report["runs"]) {
    const auto& m = run["metrics"];
    starved_ms += m["starved_ms"].get<double>();
    EXPECT_GE(m["starved_ms"].get<double>(), 0);
    EXPECT_NEAR(m["duration_ms_less_starvation"].get<double>(),
                std::max(0.0, m["duration_ms"].get<double>() - m["starved_ms"].get<double>()),
                1e-6);
    EXPECT_LE(m["boot_ms"].get<double>(), m["boot_ms_raw"].get<double>());
    EXPECT_FALSE(run["criteria"][0].contains("load_sensitive")) << "boot_ms";
    EXPECT_EQ(run["criteria"][1].value("load_sensitive", false), true) << "duration_ms";
  }
  std::printf("[load] %d runs at --jobs %d: QEMU waited %.1f ms for a host CPU in all\n", jobs,
              jobs, starved_ms);
}

// The same host for the failure analyzer, whose figures are intervals between two markers: each
// recovery comes both ways, the wait between its INJECT and RECOVERY_COMPLETE (from the run's
// record of QEMU's waits) taken off the corrected one, which alone is not load-sensitive.
TEST_F(HostileInputTest, RecoveryTimesOfRunsWaitingForCpusComeBothWays) {
  const int jobs = twice_the_cores();
  const auto f = run_at_once(
      {{"name", "loaded"},
       {"scenario", "failure_deadlock"},
       {"params", {{"rounds", 5}, {"wait_ms", 20}}},
       {"guest", {{"kernel", rayos_kernel().string()}}},
       {"analyzers", {"failure"}},
       {"criteria",
        {"failure.recovery_ms.max <= 60000", "failure.recovery_ms_less_starvation.max <= 60000"}}},
      jobs);
  ASSERT_EQ(f.status.code, 0) << f.out << f.err;
  const json report = read_json(out() / "report.json");
  ASSERT_EQ(report["runs"].size(), size_t(jobs));
  double starved_ms = 0;
  for (const auto& run : report["runs"]) {
    const auto& faults = run["analysis"]["failure"]["faults"];
    ASSERT_EQ(faults.size(), 5u);
    for (const auto& fault : faults) {
      const double starved = fault["recovery_starved_ms"].get<double>();
      starved_ms += starved;
      EXPECT_GE(starved, 0);
      EXPECT_NEAR(fault["recovery_ms_less_starvation"].get<double>(),
                  std::max(0.0, fault["recovery_ms"].get<double>() - starved), 1e-6);
    }
    const auto& m = run["metrics"];
    EXPECT_LE(m["failure.recovery_ms_less_starvation.max"].get<double>(),
              m["failure.recovery_ms.max"].get<double>());
    EXPECT_EQ(run["criteria"][0].value("load_sensitive", false), true) << "the wall time";
    EXPECT_FALSE(run["criteria"][1].contains("load_sensitive")) << "the corrected time";
  }
  std::printf("[load] %d failure_deadlock runs at --jobs %d: QEMU waited %.1f ms in recoveries\n",
              jobs, jobs, starved_ms);
}

// The run folders (sockets) of VMs whose osharness was killed with SIGKILL, in `parent`.
std::vector<std::filesystem::path> run_dirs_in(const std::filesystem::path& parent) {
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(parent))
    if (entry.path().filename().string().starts_with("osh-")) found.push_back(entry.path());
  return found;
}

TEST_F(HostileInputTest, RunFoldersASigkilledHarnessLeftAreGoneAfterTheNextRun) {
  const auto tmp = dir_.path() / "tmp";
  std::filesystem::create_directory(tmp);
  vm::qemu::testing::ScopedEnv tmpdir("TMPDIR", tmp.c_str());
  vm::qemu::testing::ScopedEnv xdg("XDG_RUNTIME_DIR", nullptr);
  auto killed = start_osharness({"run", "--kernel", rayos_kernel().string(), "--scenario", "spin",
                                 "--accel", "tcg", "--out", (dir_.path() / "killed").string()},
                                dir_.path());
  for (int i = 0; i < 3000 && run_dirs_in(tmp).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // QEMU up and connected
  ::kill(killed.pid(), SIGKILL);
  EXPECT_TRUE(killed.wait().signaled);
  ASSERT_FALSE(run_dirs_in(tmp).empty()) << "SIGKILL leaves its run folder";

  const auto f = run("hello");
  EXPECT_EQ(f.status.code, 0) << f.out << f.err;
  EXPECT_TRUE(run_dirs_in(tmp).empty()) << run_dirs_in(tmp).front();
}

TEST_F(HostileInputTest, ABundlesRelativeKernelIsTheBundleFoldersNotTheWorkingDirectorys) {
  const auto bundle_path = failed_bundle();
  std::filesystem::copy_file(rayos_kernel(), bundle_path.parent_path() / "kernel.elf");
  json bundle = read_json(bundle_path);
  EXPECT_TRUE(
      std::filesystem::path(bundle["spec"]["guest"]["kernel"].get<std::string>()).is_absolute());
  bundle["spec"]["guest"]["kernel"] = "kernel.elf";
  write(bundle_path, bundle.dump());
  ASSERT_NE(std::filesystem::current_path(), bundle_path.parent_path());
  const auto f = run_osharness({"repro", bundle_path.string()}, dir_.path());
  EXPECT_EQ(f.status.code, 0) << f.out << f.err;
  EXPECT_THAT(f.out, HasSubstr("repro: REPRODUCED FAIL"));
  EXPECT_THAT(f.err,
              HasSubstr("kernel   \"" + (bundle_path.parent_path() / "kernel.elf").string()));
}

// A bundle's QEMU arguments run only when trusted: -serial file: would write a host file.
TEST_F(HostileInputTest, ABundlesExtraQemuArgumentsNeedTrust) {
  const auto bundle_path = failed_bundle();
  const auto written = dir_.path() / "written-by-qemu";
  json bundle = read_json(bundle_path);
  bundle["spec"]["guest"]["qemu"]["args"] = {"-serial", "file:" + written.string()};
  write(bundle_path, bundle.dump());
  const auto config = dir_.path() / "config";
  vm::qemu::testing::ScopedEnv xdg("XDG_CONFIG_HOME", config.c_str());

  const auto refused = run_osharness({"repro", bundle_path.string()}, dir_.path());
  EXPECT_EQ(refused.status.code, 64) << refused.out << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("gives QEMU arguments beyond the harness's own: \"-serial\" "
                                     "\"file:" +
                                     written.string() + "\""));
  EXPECT_THAT(refused.err, HasSubstr("QEMU arguments beyond the harness's own: \"-serial\""))
      << "shown before the refusal";
  EXPECT_FALSE(std::filesystem::exists(written)) << "QEMU never ran";

  std::filesystem::create_directories(config / "osharness");
  write(config / "osharness" / "trusted-qemu-args", "# ours\n-serial\n");
  EXPECT_EQ(run_osharness({"repro", bundle_path.string()}, dir_.path()).status.code, 64)
      << "one of the two is not allowed";
  EXPECT_FALSE(std::filesystem::exists(written));

  write(config / "osharness" / "trusted-qemu-args", "-serial\nfile:" + written.string() + "\n");
  const auto allowed = run_osharness({"repro", bundle_path.string()}, dir_.path());
  EXPECT_EQ(allowed.status.code, 0) << allowed.out << allowed.err;
  EXPECT_TRUE(std::filesystem::exists(written));

  std::filesystem::remove(written);
  std::filesystem::remove(config / "osharness" / "trusted-qemu-args");
  const auto trusted = run_osharness({"repro", bundle_path.string(), "--trust"}, dir_.path());
  EXPECT_EQ(trusted.status.code, 0) << trusted.out << trusted.err;
  EXPECT_TRUE(std::filesystem::exists(written));
}

// Beyond QEMU arguments, a bundle's hook sections and backend can reach past the run folder: a
// fuzz replay hands any file's bytes to the guest (whose console lands in the report), a fuzz
// corpus folder is written to, QEMU's user network lets the guest reach the host's networks, a
// libvirt URI starts the VM on another host. Each needs --trust; a replay input that came with
// the bundle (in its folder) does not.
TEST_F(HostileInputTest, ABundleReachingBeyondItsRunFolderNeedsTrust) {
  const auto bundle_path = failed_bundle();
  const json original = read_json(bundle_path);
  const auto secret = dir_.path() / "secret";
  write(secret, "key");
  struct Case {
    const char* section;
    json value;
    const char* named;
  };
  const Case cases[] = {
      {"fuzz",
       {{"target", "cmdline"},
        {"duration_s", 1},
        {"corpus_dir", "corpus"},
        {"replay", secret.string()}},
       "gives the guest the bytes of \""},
      {"fuzz",
       {{"target", "cmdline"}, {"duration_s", 1}, {"corpus_dir", (dir_.path() / "c").string()}},
       "and writes the inputs and crashes it finds there (fuzz.corpus_dir)"},
      {"network", {{"mode", "user"}}, "through QEMU's user network"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.named);
    json bundle = original;
    bundle["spec"][c.section] = c.value;
    write(bundle_path, bundle.dump());
    const auto refused = run_osharness({"repro", bundle_path.string()}, dir_.path());
    EXPECT_EQ(refused.status.code, 64) << refused.out << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("reaches beyond its run folder: it "));
    EXPECT_THAT(refused.err, HasSubstr(c.named));
    EXPECT_THAT(refused.err, HasSubstr("pass --trust"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "c")) << "nothing was written before";

  json remote = original;
  remote["spec"]["guest"]["backend"] = "libvirt";
  remote["spec"]["guest"]["libvirt"] = {{"uri", "qemu+ssh://elsewhere/system"}};
  write(bundle_path, remote.dump());
  const auto refused = run_osharness({"repro", bundle_path.string()}, dir_.path());
  EXPECT_EQ(refused.status.code, 64) << refused.out << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("starts the VM on another host, through libvirt at "
                                     "\"qemu+ssh://elsewhere/system\""));

  // The same replay input carried in the bundle's own folder needs no trust.
  json carried = original;
  std::filesystem::copy_file(secret, bundle_path.parent_path() / "input");
  carried["spec"]["fuzz"] = {
      {"target", "cmdline"}, {"duration_s", 1}, {"corpus_dir", "corpus"}, {"replay", "input"}};
  write(bundle_path, carried.dump());
  const auto ran = run_osharness({"repro", bundle_path.string()}, dir_.path());
  EXPECT_NE(ran.status.code, 64) << ran.out << ran.err;
  EXPECT_THAT(ran.err, HasSubstr("beyond its run folder: nothing"));
}

}  // namespace
}  // namespace osh::cli::testing
