#include "soak/soak_analyzer.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/stats/quantile.h"
#include "harness/stats/running_stats.h"

namespace osh::soak {
namespace {

using analysis::add_chart;
using analysis::list_endings;
using analysis::number_field;
using analysis::process_ending;
using analysis::thin_points;
using campaign::Verdict;
constexpr auto fmt = analysis::format_number;

}  // namespace

SoakAnalyzer::SoakAnalyzer(SoakOptions options) : options_(options), silence_(options.max_gap_ms) {}

void SoakAnalyzer::on_marker(const marker::MarkerEvent& event) {
  if (event.is("SYS", "HEARTBEAT")) {
    if (auto uptime = number_field(event, 0)) silence_.heartbeat(static_cast<uint64_t>(*uptime));
    return;
  }
  if (auto ending = process_ending(event)) {
    if (started_) endings_.push_back(std::move(*ending));
    return;
  }
  if (event.category != "SOAK") return;
  if (event.event == "START") {
    started_ = true;
    duration_sec_ = number_field(event, 1);
    silence_.open();
  } else if (event.event == "METRICS_SNAPSHOT") {
    const auto cpu = number_field(event, 0), mem = number_field(event, 1),
               lat = number_field(event, 2), fps = number_field(event, 3);
    if (!cpu || !mem || !lat || !fps) {
      ++malformed_snapshots_;
      return;
    }
    snapshots_.push_back({*cpu, *mem, *lat, *fps, static_cast<double>(event.host_ns) / 1e9});
    silence_.sign();
  } else if (event.event == "CLIENT_CREATED" && !event.fields.empty()) {
    ++created_;
    live_clients_.emplace(event.fields[0].text);
    max_live_ = std::max(max_live_, live_clients_.size());
  } else if (event.event == "CLIENT_DESTROYED" && !event.fields.empty()) {
    ++destroyed_;
    if (live_clients_.erase(std::string(event.fields[0].text)) == 0) ++unknown_destroyed_;
  } else if (event.event == "COMPLETE" && !event.fields.empty()) {
    complete_pass_ = event.fields[0].text == "pass";
    silence_.close();
  }
}

size_t SoakAnalyzer::warmup_snapshots() const {
  return static_cast<size_t>(
      std::ceil(options_.warmup_fraction * static_cast<double>(snapshots_.size())));
}

void SoakAnalyzer::finish(campaign::RunResult& result) {
  add_metrics(result);
  const auto fit = add_leak_fit(result);
  add_findings(result);
  add_charts(result, fit);
}

void SoakAnalyzer::add_metrics(campaign::RunResult& result) const {
  auto& m = result.metrics;
  m["snapshots"] = static_cast<double>(snapshots_.size());
  m["clients.created"] = static_cast<double>(created_);
  m["clients.destroyed"] = static_cast<double>(destroyed_);
  m["clients.max_live"] = static_cast<double>(max_live_);
  m["processes.ended_unexpectedly"] = static_cast<double>(endings_.size());
  m["snapshot_gap_ms.max"] = static_cast<double>(silence_.longest_ms());
  if (snapshots_.empty()) return;

  stats::RunningStats fps, cpu;
  double missing_frames = 0;
  std::vector<double> latency;
  for (const auto& s : snapshots_) {
    fps.add(s.fps);
    cpu.add(s.cpu_pct);
    // A second above the target does not make up for a short one: frames are due every tick.
    missing_frames += std::max(0.0, options_.target_fps - s.fps);
    latency.push_back(s.latency_us);
  }
  m["fps.min"] = fps.min();
  m["fps.mean"] = fps.mean();
  m["frame_drop_pct"] =
      100.0 * missing_frames / (options_.target_fps * static_cast<double>(snapshots_.size()));
  m["cpu_pct.mean"] = cpu.mean();
  m["cpu_pct.max"] = cpu.max();
  m["latency_us.p50"] = stats::quantile(latency, 0.50);
  m["latency_us.p95"] = stats::quantile(latency, 0.95);
  m["latency_us.p99"] = stats::quantile(latency, 0.99);
  m["latency_us.max"] = *std::max_element(latency.begin(), latency.end());
  m["mem_kb.first"] = snapshots_.front().mem_kb;
  m["mem_kb.last"] = snapshots_.back().mem_kb;
}

std::optional<stats::LineFit> SoakAnalyzer::add_leak_fit(campaign::RunResult& result) const {
  const size_t skip = warmup_snapshots();
  if (snapshots_.size() < skip + 3)
    return std::nullopt;  // no interval from fewer than three points
  std::vector<double> minutes, kib;
  for (size_t i = skip; i < snapshots_.size(); ++i) {
    minutes.push_back(static_cast<double>(i + 1) / 60.0);
    kib.push_back(snapshots_[i].mem_kb);
  }
  const auto fit = stats::fit_line(minutes, kib);
  const auto ci = stats::slope_interval(fit, options_.confidence);
  result.metrics["mem_kb.slope_kib_per_min"] = fit.slope;
  result.metrics["mem_kb.slope_kib_per_min_ci_low"] = ci.low;
  result.metrics["mem_kb.slope_kib_per_min_ci_high"] = ci.high;
  result.analysis["soak"]["leak_fit"] = {{"warmup_snapshots", skip},
                                         {"points", fit.n},
                                         {"slope_kib_per_min", fit.slope},
                                         {"intercept_kib", fit.intercept},
                                         {"confidence", options_.confidence},
                                         {"ci_low", ci.low},
                                         {"ci_high", ci.high}};
  return fit;
}

void SoakAnalyzer::add_findings(campaign::RunResult& result) const {
  auto& f = result.findings;
  const std::string count = std::to_string(snapshots_.size()) + " snapshot(s)";
  if (!started_ && snapshots_.empty()) {
    f.push_back(
        {Verdict::Fail, "no SOAK:START marker: the soak never started", "FAIL soak not-started"});
    return;
  }
  for (const auto& gap : silence_.violations())
    f.push_back({Verdict::Hang,
                 "no SOAK:METRICS_SNAPSHOT for at least " + fmt(gap.length_ms() / 1000.0) +
                     " s of guest time (heartbeats at uptime " +
                     std::to_string(gap.from_uptime_ms) + ".." + std::to_string(gap.to_uptime_ms) +
                     " ms; limit " + fmt(options_.max_gap_ms / 1000.0) + " s)",
                 "HANG soak snapshots-stopped"});
  if (complete_pass_ && duration_sec_) {
    const double short_by = *duration_sec_ - static_cast<double>(snapshots_.size());
    if (short_by * 1000.0 > static_cast<double>(options_.max_gap_ms))
      f.push_back({Verdict::Hang,
                   "only " + count + " in a soak of " + fmt(*duration_sec_) +
                       " s (one is due every second of guest time)",
                   "HANG soak snapshots-missing"});
  }
  if (!complete_pass_) {
    f.push_back({Verdict::Fail,
                 "the soak did not complete: no SOAK:COMPLETE marker after " + count +
                     (duration_sec_ ? " of " + fmt(*duration_sec_) + " s" : std::string()),
                 "FAIL soak incomplete"});
  } else if (!*complete_pass_) {
    f.push_back({Verdict::Fail, "the guest's own soak verdict is fail (SOAK:COMPLETE:fail)",
                 "FAIL soak guest-verdict"});
  }
  if (!endings_.empty()) {
    const auto& first = endings_.front();
    f.push_back(
        {Verdict::Fail,
         std::to_string(endings_.size()) +
             " process(es) ended unexpectedly during the soak: " + list_endings(endings_),
         std::string("FAIL soak client-") + (first.crashed ? "crashed " : "killed ") + first.why});
  }
  if (malformed_snapshots_)
    f.push_back({Verdict::Fail,
                 std::to_string(malformed_snapshots_) +
                     " SOAK:METRICS_SNAPSHOT marker(s) with a field that is not a number",
                 "FAIL soak snapshot-fields"});
  if (unknown_destroyed_)
    f.push_back(
        {Verdict::Fail,
         std::to_string(unknown_destroyed_) +
             " SOAK:CLIENT_DESTROYED marker(s) for a client not created or already destroyed",
         "FAIL soak client-accounting"});
}

void SoakAnalyzer::add_charts(campaign::RunResult& result,
                              const std::optional<stats::LineFit>& fit) const {
  if (snapshots_.empty()) return;
  const double warmup_end_s = static_cast<double>(warmup_snapshots());
  std::vector<stats::Point> host_clock;
  for (size_t i = 0; i < snapshots_.size(); ++i)
    host_clock.push_back({static_cast<double>(i + 1), snapshots_[i].host_s});
  host_clock = thin_points(host_clock, options_.max_chart_points);
  const auto chart = [&](const char* id, const char* title, const char* y_label, const char* y_unit,
                         double Snapshot::*field) {
    stats::Chart c;
    c.id = std::string("soak.") + id;
    c.title = title;
    c.x_label = "guest time";
    c.x_unit = "s";
    c.y_label = y_label;
    c.y_unit = y_unit;
    std::vector<stats::Point> points;
    for (size_t i = 0; i < snapshots_.size(); ++i)
      points.push_back({static_cast<double>(i + 1), snapshots_[i].*field});
    c.series.push_back({y_label, thin_points(points, options_.max_chart_points)});
    c.host_clock = host_clock;
    return c;
  };
  auto mem = chart("mem_kb", "Memory in use", "memory", "KiB", &Snapshot::mem_kb);
  if (fit) {
    const auto at = [&](double s) { return stats::Point{s, fit->intercept + fit->slope * s / 60}; };
    mem.series.push_back({"trend after warm-up",
                          {at(warmup_end_s + 1), at(static_cast<double>(snapshots_.size()))}});
  }
  if (warmup_end_s > 0) mem.shades.push_back({0, warmup_end_s, "warm-up (not in the leak fit)"});
  add_chart(result.analysis,
            chart("fps", "Frames composed per second", "fps", "fps", &Snapshot::fps));
  add_chart(result.analysis, chart("latency_us", "Event delivery latency (per-second figure)",
                                   "latency", "us", &Snapshot::latency_us));
  add_chart(result.analysis, mem);
  add_chart(result.analysis, chart("cpu_pct", "CPU busy", "cpu", "%", &Snapshot::cpu_pct));
}

campaign::AnalyzerInfo soak_analyzer_info() {
  using B = campaign::MetricInfo::Better;
  using C = campaign::MetricInfo::Clock;
  return {
      "soak",
      "SOAK:METRICS_SNAPSHOT time series: fps, frame drops, latency percentiles, memory trend",
      {
          {"snapshots", "", B::Neither,
           "SOAK:METRICS_SNAPSHOT markers (one per second of guest time)"},
          {"fps.min", "fps", B::Higher, "fewest frames composed in one second"},
          {"fps.mean", "fps", B::Higher, "mean frames composed per second"},
          {"frame_drop_pct", "%", B::Lower,
           "frames short of 60 per second, summed over the seconds, over 60 x seconds"},
          {"latency_us.p50", "us", B::Lower, "median of the per-second latency figures", C::Guest},
          {"latency_us.p95", "us", B::Lower, "95th percentile of the per-second latency figures",
           C::Guest},
          {"latency_us.p99", "us", B::Lower, "99th percentile of the per-second latency figures",
           C::Guest},
          {"latency_us.max", "us", B::Lower, "largest per-second latency figure", C::Guest},
          {"cpu_pct.mean", "%", B::Neither, "mean CPU busy share over the snapshots"},
          {"cpu_pct.max", "%", B::Neither, "highest CPU busy share of one second"},
          {"mem_kb.first", "KiB", B::Neither, "memory in use at the first snapshot"},
          {"mem_kb.last", "KiB", B::Lower, "memory in use at the last snapshot"},
          {"mem_kb.slope_kib_per_min", "KiB/min", B::Lower,
           "least-squares slope of memory in use after warm-up"},
          {"mem_kb.slope_kib_per_min_ci_low", "KiB/min", B::Lower,
           "lower end of the slope's 95% confidence interval (leak criterion)"},
          {"mem_kb.slope_kib_per_min_ci_high", "KiB/min", B::Lower,
           "upper end of the slope's 95% confidence interval"},
          {"snapshot_gap_ms.max", "ms", B::Lower,
           "longest guest time without a snapshot (heartbeat-measured lower bound)", C::Guest},
          {"clients.created", "", B::Neither, "SOAK:CLIENT_CREATED markers"},
          {"clients.destroyed", "", B::Neither, "SOAK:CLIENT_DESTROYED markers"},
          {"clients.max_live", "", B::Neither, "most clients alive at once"},
          {"processes.ended_unexpectedly", "", B::Lower,
           "PROC:CRASHED and PROC:KILLED markers after SOAK:START"},
      },
      [](const campaign::AnalyzerSetup&) { return std::make_unique<SoakAnalyzer>(); },
  };
}

}  // namespace osh::soak
