#include "soak/soak_analyzer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <string>

#include "harness/analysis/testing.h"
#include "harness/campaign/spec.h"
#include "soak/plugin.h"

namespace osh::soak {
namespace {

using analysis::testing::analyze;
using analysis::testing::criterion_holds;
using analysis::testing::marker;
using campaign::Verdict;

std::string snapshot(double cpu, double mem, double lat, double fps) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "SOAK:METRICS_SNAPSHOT:%.0f:%.0f:%.0f:%.0f", cpu, mem, lat, fps);
  return marker(buf);
}

std::string heartbeat(uint64_t uptime_ms) {
  return marker("SYS:HEARTBEAT:" + std::to_string(uptime_ms));
}

// A soak of `seconds` snapshots, one heartbeat before each, memory growing by `leak_kib_per_min`
// with Gaussian noise of `noise_kib` (seeded) on 20000 KiB.
std::string soak_log(int seconds, double leak_kib_per_min, double noise_kib, uint64_t seed = 7) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, noise_kib);
  std::string log = marker("SOAK:START:4:" + std::to_string(seconds));
  for (int c = 0; c < 4; ++c) log += marker("SOAK:CLIENT_CREATED:" + std::to_string(c));
  for (int s = 1; s <= seconds; ++s) {
    log += heartbeat(1000ull * s);
    log += snapshot(30, 20000 + leak_kib_per_min * s / 60.0 + noise(rng), 800, 60);
  }
  return log + marker("SOAK:COMPLETE:pass");
}

TEST(SoakAnalyzer, FramesLatencyAndMemoryFiguresFromTheSnapshots) {
  std::string log = marker("SOAK:START:2:5");
  const double fps[] = {60, 60, 57, 61, 54};
  const double latency[] = {500, 100, 300, 200, 400};  // out of order on purpose
  for (int i = 0; i < 5; ++i) log += snapshot(10 * (i + 1), 1000 + i, latency[i], fps[i]);
  log += marker("SOAK:COMPLETE:pass");
  SoakAnalyzer a;
  const auto r = analyze(a, log);
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason;
  EXPECT_EQ(r.metrics.at("snapshots"), 5);
  EXPECT_EQ(r.metrics.at("fps.min"), 54);
  EXPECT_DOUBLE_EQ(r.metrics.at("fps.mean"), 58.4);
  // 3 frames short in the third second, 6 in the fifth; the 61st frame of the fourth second
  // does not make up for them: 9 of 300 due.
  EXPECT_DOUBLE_EQ(r.metrics.at("frame_drop_pct"), 3.0);
  // Type-7 quantiles of 100..500: h = 4p.
  EXPECT_DOUBLE_EQ(r.metrics.at("latency_us.p50"), 300);
  EXPECT_DOUBLE_EQ(r.metrics.at("latency_us.p95"), 480);
  EXPECT_DOUBLE_EQ(r.metrics.at("latency_us.p99"), 496);
  EXPECT_EQ(r.metrics.at("latency_us.max"), 500);
  EXPECT_EQ(r.metrics.at("mem_kb.first"), 1000);
  EXPECT_EQ(r.metrics.at("mem_kb.last"), 1004);
  EXPECT_DOUBLE_EQ(r.metrics.at("cpu_pct.mean"), 30);
  EXPECT_EQ(r.metrics.at("cpu_pct.max"), 50);
  // Warm-up: ceil(10% of 5) = 1 snapshot; the rest grow 1 KiB a second = 60 KiB/min exactly.
  EXPECT_NEAR(r.metrics.at("mem_kb.slope_kib_per_min"), 60, 1e-9);
  EXPECT_NEAR(r.metrics.at("mem_kb.slope_kib_per_min_ci_low"), 60, 1e-6);
  EXPECT_EQ(analysis::testing::undeclared_metrics(r, soak_analyzer_info()), "");
}

TEST(SoakAnalyzer, ClientsAreCountedAndADoubleDestroyFails) {
  std::string log = marker("SOAK:START:2:1") + marker("SOAK:CLIENT_CREATED:1") +
                    marker("SOAK:CLIENT_CREATED:2") + marker("SOAK:CLIENT_DESTROYED:1") +
                    marker("SOAK:CLIENT_CREATED:3") + snapshot(1, 1, 1, 60) +
                    marker("SOAK:CLIENT_DESTROYED:1") + marker("SOAK:COMPLETE:pass");
  SoakAnalyzer a;
  const auto r = analyze(a, log);
  EXPECT_EQ(r.metrics.at("clients.created"), 3);
  EXPECT_EQ(r.metrics.at("clients.destroyed"), 2);
  EXPECT_EQ(r.metrics.at("clients.max_live"), 2);
  EXPECT_EQ(r.signature, "FAIL soak client-accounting");
}

// On a synthetic stream: 64 KiB/min over two minutes fails the leak criterion the 64-client
// spec uses; the same run without the leak passes it.
TEST(SoakAnalyzer, ALeakOf64KiBPerMinFailsTheCriterionAndNoLeakPassesIt) {
  const std::string criterion = "mem_kb.slope_kib_per_min_ci_low <= 16";
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SoakAnalyzer leaky, clean;
    const auto l = analyze(leaky, soak_log(120, 64, 40, seed));
    const auto c = analyze(clean, soak_log(120, 0, 40, seed));
    EXPECT_FALSE(criterion_holds(l, criterion))
        << "seed " << seed << ": ci_low " << l.metrics.at("mem_kb.slope_kib_per_min_ci_low");
    EXPECT_TRUE(criterion_holds(c, criterion))
        << "seed " << seed << ": ci_low " << c.metrics.at("mem_kb.slope_kib_per_min_ci_low");
    EXPECT_LE(l.metrics.at("mem_kb.slope_kib_per_min_ci_low"), 64) << "seed " << seed;
    EXPECT_GE(l.metrics.at("mem_kb.slope_kib_per_min_ci_high"), 64) << "seed " << seed;
  }
}

TEST(SoakAnalyzer, TheWarmUpIsLeftOutOfTheLeakFit) {
  // Memory climbs 5000 KiB in the first 10 s (start-up), then stays flat for 90 s.
  std::string log = marker("SOAK:START:4:100");
  for (int s = 1; s <= 100; ++s)
    log += snapshot(1, s <= 10 ? 15000 + 500 * s : 20000 + (s % 3), 1, 60);
  log += marker("SOAK:COMPLETE:pass");
  SoakAnalyzer a;
  const auto r = analyze(a, log);
  EXPECT_NEAR(r.metrics.at("mem_kb.slope_kib_per_min"), 0, 1.0);
  EXPECT_EQ(r.analysis["soak"]["leak_fit"]["warmup_snapshots"], 10);
  EXPECT_EQ(r.analysis["soak"]["leak_fit"]["points"], 90);
}

TEST(SoakAnalyzer, TooFewSnapshotsLeaveTheSlopeUnmeasured) {
  SoakAnalyzer a;
  const auto r = analyze(a, marker("SOAK:START:4:3") + snapshot(1, 1, 1, 60) +
                                snapshot(1, 2, 1, 60) + marker("SOAK:COMPLETE:pass"));
  EXPECT_FALSE(r.metrics.contains("mem_kb.slope_kib_per_min"));
  EXPECT_FALSE(criterion_holds(r, "mem_kb.slope_kib_per_min_ci_low <= 16"));
}

TEST(SoakAnalyzer, SnapshotsStoppingWhileHeartbeatsGoOnAreAHangNamingTheGap) {
  std::string log = marker("SOAK:START:4:20");
  for (int s = 1; s <= 10; ++s) log += heartbeat(1000ull * s) + snapshot(1, 1, 1, 60);
  for (int s = 11; s <= 17; ++s) log += heartbeat(1000ull * s);
  for (int s = 18; s <= 20; ++s) log += heartbeat(1000ull * s) + snapshot(1, 1, 1, 60);
  log += marker("SOAK:COMPLETE:pass");
  SoakAnalyzer a;
  const auto r = analyze(a, log);
  EXPECT_EQ(r.verdict, Verdict::Hang);
  EXPECT_EQ(r.signature, "HANG soak snapshots-stopped");
  EXPECT_NE(r.reason.find("at least 7 s of guest time (heartbeats at uptime 11000..18000 ms"),
            std::string::npos)
      << r.reason;
  EXPECT_EQ(r.metrics.at("snapshot_gap_ms.max"), 7000);
}

TEST(SoakAnalyzer, RegularSnapshotsAreNoGapEvenWithHeartbeatJitter) {
  std::string log = marker("SOAK:START:4:30");
  // Two heartbeats between some snapshots, none between others: the timer and the collector
  // are not in phase.
  for (int s = 1; s <= 30; ++s)
    log += (s % 4 == 0   ? heartbeat(1000ull * s - 500) + heartbeat(1000ull * s)
            : s % 4 == 1 ? std::string()
                         : heartbeat(1000ull * s)) +
           snapshot(1, 1, 1, 60);
  log += marker("SOAK:COMPLETE:pass");
  SoakAnalyzer a;
  const auto r = analyze(a, log);
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason;
  EXPECT_LE(r.metrics.at("snapshot_gap_ms.max"), 1000);
}

TEST(SoakAnalyzer, ARunThatStopsSnapshottingAndNeverCompletesIsAHang) {
  std::string log = marker("SOAK:START:4:60");
  for (int s = 1; s <= 5; ++s) log += heartbeat(1000ull * s) + snapshot(1, 1, 1, 60);
  for (int s = 6; s <= 12; ++s) log += heartbeat(1000ull * s);
  SoakAnalyzer a;
  const auto r = analyze(a, log);
  EXPECT_EQ(r.verdict, Verdict::Hang);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[1].signature, "FAIL soak incomplete");
  EXPECT_NE(r.findings[1].reason.find("after 5 snapshot(s) of 60 s"), std::string::npos);
}

TEST(SoakAnalyzer, ACompletedRunShortOfItsSnapshotsIsAHang) {
  std::string log = marker("SOAK:START:4:60");
  for (int s = 1; s <= 50; ++s) log += snapshot(1, 1, 1, 60);
  SoakAnalyzer a;
  const auto r = analyze(a, log + marker("SOAK:COMPLETE:pass"));
  EXPECT_EQ(r.signature, "HANG soak snapshots-missing");
  EXPECT_NE(r.reason.find("only 50 snapshot(s) in a soak of 60 s"), std::string::npos);

  std::string near_enough = marker("SOAK:START:4:60");
  for (int s = 1; s <= 58; ++s) near_enough += snapshot(1, 1, 1, 60);
  SoakAnalyzer b;
  EXPECT_EQ(analyze(b, near_enough + marker("SOAK:COMPLETE:pass")).verdict, Verdict::Pass);
}

TEST(SoakAnalyzer, TheGuestsFailVerdictFails) {
  SoakAnalyzer a;
  const auto r =
      analyze(a, marker("SOAK:START:4:1") + snapshot(1, 1, 1, 60) + marker("SOAK:COMPLETE:fail"));
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_EQ(r.signature, "FAIL soak guest-verdict");
}

TEST(SoakAnalyzer, ClientCrashesAndKillsFailNamingThem) {
  SoakAnalyzer a;
  const auto r =
      analyze(a, marker("SOAK:START:4:2") + snapshot(1, 1, 1, 60) +
                     marker("PROC:CRASHED:7:PAGE_FAULT") + marker("PROC:KILLED:9:out_of_memory") +
                     snapshot(1, 1, 1, 60) + marker("SOAK:COMPLETE:pass"));
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_EQ(r.signature, "FAIL soak client-crashed PAGE_FAULT");
  EXPECT_NE(r.reason.find("2 process(es) ended unexpectedly during the soak: pid 7 crashed: "
                          "PAGE_FAULT, pid 9 killed: out_of_memory"),
            std::string::npos)
      << r.reason;
  EXPECT_EQ(r.metrics.at("processes.ended_unexpectedly"), 2);
}

TEST(SoakAnalyzer, NoSoakAtAllFails) {
  SoakAnalyzer a;
  const auto r = analyze(a, heartbeat(1000));
  EXPECT_EQ(r.signature, "FAIL soak not-started");
  EXPECT_FALSE(r.metrics.contains("fps.min"));
}

TEST(SoakAnalyzer, ChartsOfAnHourKeepTheirDipsWithinThePointBudget) {
  std::string log = marker("SOAK:START:64:3600");
  for (int s = 1; s <= 3600; ++s) log += snapshot(50, 30000 + s, 900, s == 1234 ? 12 : 60);
  SoakAnalyzer a;
  const auto r = analyze(a, log + marker("SOAK:COMPLETE:pass"));
  const auto& charts = r.analysis.at("charts");
  ASSERT_EQ(charts.size(), 4u);
  std::vector<std::string> ids;
  for (const auto& c : charts) ids.push_back(c.at("id"));
  EXPECT_EQ(ids, (std::vector<std::string>{"soak.fps", "soak.latency_us", "soak.mem_kb",
                                           "soak.cpu_pct"}));
  const auto& fps = charts[0].at("series")[0].at("points");
  EXPECT_LE(fps.size(), 600u);
  bool dip = false;
  for (const auto& p : fps) dip |= p[0] == 1234 && p[1] == 12;
  EXPECT_TRUE(dip) << "the 12 fps second must survive the thinning";
  const auto& mem = charts[2];
  ASSERT_EQ(mem.at("series").size(), 2u) << "memory and its fitted trend";
  EXPECT_EQ(mem.at("shades")[0].at("to"), 360);
}

TEST(SoakSpecs, EverySpecParsesScalesItsDurationAndUsesTheSoakAnalyzer) {
  const auto plugins = analysis::testing::plugins_with(register_plugin);
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(OSH_SOAK_SPEC_DIR)) {
    if (entry.path().extension() != ".json") continue;
    const auto spec = campaign::load_spec(entry.path(), {plugins, "/bin", 0.01});
    ++count;
    if (entry.path().filename() == "processes.json") continue;  // the guest judges that one
    EXPECT_EQ(spec.analyzers, std::vector<std::string>{"soak"}) << entry.path();
    EXPECT_NE(std::find(spec.scaled_params.begin(), spec.scaled_params.end(), "duration_sec"),
              spec.scaled_params.end())
        << entry.path();
    EXPECT_FALSE(spec.criteria.empty()) << entry.path();
  }
  EXPECT_EQ(count, 6) << "the plan's five soak tests and the process soak";
}

}  // namespace
}  // namespace osh::soak
