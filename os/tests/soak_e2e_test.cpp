// The compositor soak end to end: the real osharness boots the real rayos.elf under QEMU (TCG)
// with `soak clients=4 duration_sec=3` and the console log is read back. The checks are
// invariants of measured values, not copies of a run's output: one snapshot per second, every
// field in its range, the snapshots' fps adding up to the frames the compositor says it
// composed, composed + dropped frames matching 60 deadlines per second of guest time, every
// client created and destroyed once, latencies reported for delivered events. With
// leak_kib_per_min the memory in use must grow by about the planted rate.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using nlohmann::json;

struct Snapshot {
  uint64_t cpu_pct, mem_kb, latency_us, fps;
};

struct SoakLog {
  std::vector<Snapshot> snapshots;
  std::vector<uint64_t> created, destroyed;
  std::vector<uint64_t> start;    // clients, duration_sec
  std::vector<uint64_t> summary;  // SOAK:COMPOSITOR_SUMMARY fields
  std::string complete;
  std::set<std::string> passed_tests;
};

std::vector<uint64_t> numbers(const std::string& fields) {
  std::vector<uint64_t> out;
  std::regex number(R"(\d+)");
  for (auto it = std::sregex_iterator(fields.begin(), fields.end(), number);
       it != std::sregex_iterator(); ++it)
    out.push_back(std::stoull(it->str()));
  return out;
}

SoakLog parse(const std::string& console) {
  SoakLog log;
  std::regex line(R"(RAYOS_(SOAK|TEST):([A-Z_]+)((?::[A-Za-z0-9_]+)*) #\d+\*[0-9a-f]+)");
  for (auto it = std::sregex_iterator(console.begin(), console.end(), line);
       it != std::sregex_iterator(); ++it) {
    const std::string category = (*it)[1], event = (*it)[2], fields = (*it)[3];
    if (category == "TEST") {
      if (event == "PASS") log.passed_tests.insert(fields.substr(1));
      continue;
    }
    std::vector<uint64_t> n = numbers(fields);
    if (event == "METRICS_SNAPSHOT" && n.size() == 4)
      log.snapshots.push_back({n[0], n[1], n[2], n[3]});
    else if (event == "CLIENT_CREATED")
      log.created.push_back(n.at(0));
    else if (event == "CLIENT_DESTROYED")
      log.destroyed.push_back(n.at(0));
    else if (event == "START")
      log.start = n;
    else if (event == "COMPOSITOR_SUMMARY")
      log.summary = n;
    else if (event == "COMPLETE")
      log.complete = fields.substr(1);
  }
  return log;
}

class SoakRun {
 public:
  explicit SoakRun(const std::map<std::string, uint64_t>& params) {
    json spec = {
        {"name", "soak_e2e"},
        {"guest", {{"kernel", "${bindir}/rayos.elf"}, {"accel", "tcg"}, {"memory", "128M"}}},
        {"scenario", "soak"},
        {"seed", 7},
        {"timeouts", {{"idle_s", 10}, {"heartbeat_s", 5}, {"deadline_s", 90}}},
        {"expect", {{"exit_code", 0}}}};
    for (const auto& [key, value] : params) spec["params"][key] = value;
    const auto path = dir_.path() / "soak.json";
    std::ofstream(path) << spec.dump(2);
    finished_ = run_osharness({"run", path.string(), "--out", out().string()}, dir_.path());
    const json report = read_json(out() / "report.json");
    run_ = report["runs"][0];
    log_ = parse(read_file(out() / run_["console_log"].get<std::string>()));
  }
  std::filesystem::path out() const { return dir_.path() / "out"; }
  const Finished& finished() const { return finished_; }
  const json& run() const { return run_; }
  const SoakLog& log() const { return log_; }

 private:
  TempDir dir_;
  Finished finished_;
  json run_;
  SoakLog log_;
};

TEST(RayosSoak, FourClientsThreeSecondsGiveMeasuredPlausibleSnapshots) {
  constexpr uint64_t kClients = 4, kSeconds = 3;
  SoakRun soak({{"clients", kClients}, {"duration_sec", kSeconds}});
  ASSERT_EQ(soak.finished().status.code, 0) << soak.finished().out << soak.finished().err;
  EXPECT_EQ(soak.run()["verdict"], "PASS") << soak.run()["reason"];
  const SoakLog& log = soak.log();
  EXPECT_EQ(log.start, (std::vector<uint64_t>{kClients, kSeconds}));
  EXPECT_EQ(log.complete, "pass");
  EXPECT_EQ(log.passed_tests,
            (std::set<std::string>{"soak_clients_ended_as_asked", "soak_frames_composed",
                                   "soak_all_clients_running", "soak_nothing_left_behind"}));

  // Every client created once and destroyed once, no restart (nothing crashed).
  ASSERT_EQ(log.created.size(), kClients);
  EXPECT_EQ(std::set<uint64_t>(log.created.begin(), log.created.end()),
            std::set<uint64_t>(log.destroyed.begin(), log.destroyed.end()));
  EXPECT_EQ(log.destroyed.size(), kClients);

  // One snapshot per second of guest time, every field in its range.
  ASSERT_EQ(log.snapshots.size(), kSeconds);
  uint64_t fps_sum = 0, seconds_with_latency = 0;
  for (const Snapshot& s : log.snapshots) {
    EXPECT_LE(s.cpu_pct, 100u);
    EXPECT_GT(s.mem_kb, 0u);
    EXPECT_GT(s.fps, 0u);
    EXPECT_LE(s.fps, 60u);  // a window holds 60 frame deadlines
    EXPECT_LT(s.latency_us, 10'000'000u);
    seconds_with_latency += s.latency_us > 0;
    fps_sum += s.fps;
  }
  // 4 clients x 30 input events a second: every second has deliveries, so latencies.
  EXPECT_EQ(seconds_with_latency, kSeconds);

  ASSERT_EQ(log.summary.size(), 8u);
  const uint64_t composed = log.summary[0], dropped = log.summary[1], pixels = log.summary[2],
                 queued = log.summary[3], reports = log.summary[5];
  // The snapshots' fps are the frames composed, second by second.
  EXPECT_NEAR(double(fps_sum), double(composed), double(kSeconds));
  // Every deadline of 60 a second was either composed or dropped.
  EXPECT_NEAR(double(composed + dropped), double(60 * kSeconds), 3.0);
  EXPECT_GT(pixels, 0u);
  EXPECT_GT(queued, 0u);
  EXPECT_GT(reports, 0u);
  EXPECT_LE(reports, queued);
  std::cout << "fps per second:";
  for (const Snapshot& s : log.snapshots) std::cout << " " << s.fps;
  std::cout << "; composed " << composed << ", dropped " << dropped << "\n";
}

TEST(RayosSoak, PlantedLeakMakesMemoryInUseGrow) {
  // 12000 KiB/min = 200 KiB per second of guest time over both clients.
  SoakRun soak({{"clients", 2}, {"duration_sec", 4}, {"leak_kib_per_min", 12000}});
  ASSERT_EQ(soak.finished().status.code, 0) << soak.finished().out << soak.finished().err;
  const SoakLog& log = soak.log();
  EXPECT_EQ(log.complete, "pass");  // the leak is the clients' and freed when they exit
  ASSERT_EQ(log.snapshots.size(), 4u);
  // Three seconds between the first and the last snapshot: ~600 KiB planted; buffers and
  // surfaces come and go by tens of KiB, so at least half must show.
  const int64_t growth =
      int64_t(log.snapshots.back().mem_kb) - int64_t(log.snapshots.front().mem_kb);
  EXPECT_GE(growth, 300) << "mem_kb " << log.snapshots.front().mem_kb << " -> "
                         << log.snapshots.back().mem_kb;
  EXPECT_LE(growth, 1200);
}

}  // namespace
}  // namespace osh::cli::testing
