#include "reports/tests/report_fixtures.h"

#include <stdlib.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "harness/base/escape.h"
#include "harness/campaign/journal.h"

namespace osh::reports::testing {
namespace {

using campaign::Verdict;
using namespace std::string_literals;

std::string guest(std::string raw, GuestBytes bytes) {
  return bytes == GuestBytes::Raw ? raw : escape_text(raw);
}

campaign::RunResult base_run(int index, std::string name, Verdict verdict, std::string reason) {
  campaign::RunResult r;
  r.index = index;
  r.name = std::move(name);
  r.scenario = r.name;
  r.params = {{"duration_sec", "60"}, {"clients", "4"}};
  r.seed = 1000 + static_cast<uint64_t>(index);
  r.spec_origin = "specs/" + r.name + ".json";
  r.started_unix_ms = 1'700'000'000'000 + index * 60'000;
  r.verdict = verdict;
  r.reason = std::move(reason);
  r.signature = verdict == Verdict::Pass ? "PASS" : std::string(campaign::to_string(verdict));
  if (verdict != Verdict::Pass) r.findings.push_back({verdict, r.reason, r.signature});
  r.boot_ms = 38.5 + index * 1.75;
  r.duration_ms = 4200 + index * 850.5;
  r.markers = {20480, 512, 900 + static_cast<uint64_t>(index), 0, 0, 0, 12, 1};
  r.exit = {"exited", 1, 0, 0, ""};
  r.metrics = {{"boot_ms", *r.boot_ms}, {"markers.lost", 0}};
  r.analysis = {{"guest_version", "0.1.0"}};
  r.accel = "tcg";
  r.accel_reason = "KVM measured 310x slower than TCG on this host";
  r.command_line = {"qemu-system-x86_64", "-accel", "tcg", "-kernel", "rayos.elf"};
  r.console_log = "runs/" + std::to_string(index) + "-" + r.name + "/console.log";
  return r;
}

void add_charts(campaign::RunResult& r, std::initializer_list<stats::Chart> charts) {
  auto& list = r.analysis["charts"] = nlohmann::json::array();
  for (const auto& c : charts) list.push_back(stats::to_json(c));
}

}  // namespace

std::string hostile_guest_text() {
  return "<script>alert(1)</script> ]]> \"quoted\" 'single' & \0 NUL \x1b[2J ESC \xff bad \xEF\xBF\xBF end"s;
}

stats::Chart latency_histogram() {
  stats::Chart c;
  c.kind = stats::Chart::Kind::Histogram;
  c.id = "perf.buffer_commit.latency";
  c.title = "buffer_commit latency";
  c.x_label = "latency";
  c.x_unit = "us";
  c.y_label = "samples";
  c.log_x = true;
  stats::Series s{"buffer_commit", {}};
  // Log-linear buckets from 10 us, a log-normal shape around 400 us with a tail.
  for (double start = 10; start < 200'000; start *= 1.25) {
    const double z = (std::log(start) - std::log(400.0)) / 0.7;
    s.points.push_back({start, std::round(5000 * std::exp(-z * z / 2) + (start > 5000 ? 3 : 0))});
  }
  c.series.push_back(std::move(s));
  c.rules = {{380, "p50 = 380 us"},
             {760, "p90 = 760 us"},
             {1830, "p99 = 1830 us"},
             {6100, "p99.9 = 6100 us"}};
  return c;
}

stats::Chart soak_time_series() {
  stats::Chart c;
  c.id = "soak.metrics";
  c.title = "Soak: frame rate and latency";
  c.x_label = "guest time";
  c.x_unit = "s";
  c.y_label = "value";
  stats::Series fps{"fps", {}}, p99{"latency p99 (ms)", {}}, cpu{"cpu %", {}};
  for (int t = 0; t <= 600; t += 5) {
    const bool fault = (t >= 120 && t < 150) || (t >= 400 && t < 430);
    fps.points.push_back({double(t), fault ? 41.5 + (t % 7) : 59.0 + (t % 3) * 0.4});
    p99.points.push_back({double(t), fault ? 38.0 + (t % 11) : 16.0 + (t % 5) * 0.6});
    cpu.points.push_back({double(t), 35 + 10 * std::sin(t / 40.0) + (fault ? 20 : 0)});
  }
  c.series = {fps, p99, cpu};
  c.shades = {{120, 150, "fault: pause vCPU 30 s"}, {400, 430, "fault: drop COM1 30 s"}};
  c.rules = {{300, "snapshot"}};
  return c;
}

stats::Chart degradation_curve() {
  stats::Chart c;
  c.id = "stress.cpu.degradation";
  c.title = "Stress: latency vs load";
  c.x_label = "load level";
  c.x_unit = "%";
  c.y_label = "latency ratio";
  stats::Series s{"latency / baseline", {}};
  for (int level = 10; level <= 100; level += 10)
    s.points.push_back(
        {double(level), level <= 70 ? 1 + level / 200.0 : 1.35 + (level - 70) * 0.09});
  c.series.push_back(std::move(s));
  c.rules = {{70, "knee at 70 %"}};
  return c;
}

campaign::CampaignOutcome synthetic_outcome(const std::filesystem::path& out_dir,
                                            GuestBytes bytes) {
  const std::string evil = guest(hostile_guest_text(), bytes);
  campaign::CampaignOutcome o;
  o.out_dir = out_dir;
  o.info.harness_version = "0.1.0+test";
  o.info.started_unix_ms = 1'700'000'000'000;
  o.info.finished_unix_ms = 1'700'000'754'321;
  o.info.command = {"osharness", "run", "specs/all.json", "--out", out_dir.string()};
  o.info.specs = {"specs/all.json"};
  o.info.host = "ci-host";
  o.info.finished = true;
  o.info.warnings = {"journal write failed: No space left on device"};

  auto pass = base_run(0, "boot-smoke", Verdict::Pass, "all checks passed");
  pass.guest_tests = {{"alloc_basic", Verdict::Pass, "", 1.25},
                      {guest("dag ]]> <order>", bytes), Verdict::Pass, "", 0.5}};
  add_charts(pass, {soak_time_series()});

  auto fail =
      base_run(1, "soak-16", Verdict::Fail, "criterion fps.min >= 58 failed: measured 41.5");
  fail.criteria = {{"fps.min >= 58", "fps.min", 41.5, 58, false},
                   {"markers.lost == 0", "markers.lost", 0, 0, true},
                   {"mem_kb.slope_per_min <= 0", "mem_kb.slope_per_min", std::nullopt, 0, false}};
  fail.findings.push_back({Verdict::Fail, "guest said: " + evil, "FAIL guest"});
  add_charts(fail, {soak_time_series()});

  auto crash = base_run(2, "fault-null", Verdict::Crash,
                        "guest panic PAGE_FAULT " + guest("cr2=0x0 <script>", bytes));
  crash.crash =
      campaign::CrashInfo{"PAGE_FAULT",
                          guest("cr2=0x0 \x1b[31m<b>bold</b>", bytes),
                          {{0, 0xffffffff80101234ull, "rayos_fault_null_dereference+0x1a"},
                           {1, 0xffffffff80100400ull, "kernel_main+0x40"},
                           {2, 0xffffffff80000010ull, ""}}};
  crash.findings.push_back({Verdict::Fail, "no COMPLETE marker", "FAIL no COMPLETE"});
  crash.exit = {"exited", 3, 0, 1, "guest-reset"};
  crash.repro_bundle = "runs/2-fault-null/repro.json";
  crash.console_log = "runs/2-fault-null/console.log";
  std::filesystem::create_directories(out_dir / "runs/2-fault-null");
  std::ofstream(out_dir / crash.console_log, std::ios::binary)
      << "RAYOS_BOOT:START:0.1 #0\n"
      << hostile_guest_text() << "\nRAYOS_SYS:PANIC:PAGE_FAULT:x #1\n";

  auto hang = base_run(3, "hang-" + guest("<img src=x onerror=alert(1)>", bytes), Verdict::Hang,
                       "no heartbeat for 5000 ms (idle limit)");
  hang.markers.lost = 3;
  hang.markers.corrupt = 1;
  hang.markers.malformed = 2;
  hang.problems = {
      {17, marker::LineKind::Corrupt, "CRC-32C mismatch", guest("RAYOS_SOAK:X #9*deadbeef", bytes)},
      {42, marker::LineKind::Malformed, "field 2 (cpu_pct): expected u32, got \"x1\"", evil},
      {43, marker::LineKind::Malformed, "unterminated at end of log", guest("RAYOS_SO", bytes)}};

  auto timeout = base_run(4, "stress-cpu", Verdict::Timeout, "total deadline of 120 s reached");
  add_charts(timeout, {degradation_curve()});

  auto infra = base_run(5, "qemu-missing", Verdict::InfraError,
                        "cannot start qemu-system-x86_64: No such file or directory");
  infra.boot_ms.reset();
  infra.metrics.erase("boot_ms");
  infra.duration_ms = 2.5;
  infra.markers = {};
  infra.exit = {"not started", 0, 0, std::nullopt, ""};

  auto flaky = base_run(6, "perf-commit", Verdict::Flaky,
                        "failed (p99 over bound), then passed on rerun 1 with the same seed");
  flaky.guest_tests = {{"commit_order", Verdict::Fail, evil, 3.5},
                       {"commit_batch", Verdict::Pass, "", 2}};
  flaky.metrics["latency_us.p99"] = 1830;
  add_charts(flaky, {latency_histogram()});

  auto odd = base_run(7, evil, Verdict::Fail, evil);
  stats::Chart empty;
  empty.id = "empty";
  empty.title = evil;
  empty.series.push_back({evil, {}});
  add_charts(odd, {empty});
  odd.analysis["charts"].push_back({{"kind", "pie"}, {"title", evil}});

  o.runs = {pass, fail, crash, hang, timeout, infra, flaky, odd};
  return o;
}

campaign::CampaignOutcome many_runs(size_t n, int charts) {
  campaign::CampaignOutcome o;
  o.out_dir = "out/many";
  o.info.harness_version = "0.1.0+bench";
  o.info.started_unix_ms = 1'700'000'000'000;
  o.info.finished_unix_ms = o.info.started_unix_ms + static_cast<int64_t>(n) * 5000;
  o.info.command = {"osharness", "run", "specs/soak.json"};
  o.info.specs = {"specs/soak.json"};
  o.info.host = "ci-host";
  o.info.finished = true;
  const auto series = stats::to_json(soak_time_series());
  const auto hist = stats::to_json(latency_histogram());
  for (size_t i = 0; i < n; ++i) {
    const bool failed = i % 10 == 3;
    auto r =
        base_run(static_cast<int>(i), "soak-" + std::to_string(i % 4),
                 failed ? Verdict::Fail : Verdict::Pass,
                 failed ? "criterion fps.min >= 58 failed: measured 41.5" : "all checks passed");
    r.boot_ms = 38.5 + static_cast<double>((i * 7919) % 97) / 10;
    if (failed) r.criteria = {{"fps.min >= 58", "fps.min", 41.5, 58, false}};
    if (charts > 0) {
      auto& list = r.analysis["charts"] = nlohmann::json::array();
      for (int k = 0; k < charts; ++k) list.push_back(k % 2 ? hist : series);
    }
    o.runs.push_back(std::move(r));
  }
  return o;
}

void write_journal(const campaign::CampaignOutcome& o, const std::filesystem::path& path) {
  campaign::Journal journal(path);
  journal.append(campaign::to_json(o.info));
  for (const auto& r : o.runs) {
    auto record = campaign::to_json(r);
    record["record"] = "run";
    journal.append(record);
  }
  if (o.info.finished)
    journal.append({{"record", "end"},
                    {"finished_unix_ms", o.info.finished_unix_ms},
                    {"interrupted", o.info.interrupted},
                    {"warnings", o.info.warnings}});
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace osh::reports::testing
