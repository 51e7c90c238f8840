#include "perf/perf_analyzer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "harness/analysis/analysis_common.h"
#include "harness/stats/run_histograms.h"

namespace osh::perf {
namespace {

using analysis::number_field;
using campaign::Verdict;

// The guest's percentile names (PERF:SAMPLE) and the percent each stands for.
struct GuestPercentile {
  const char* name;
  double percent;
};
constexpr GuestPercentile kGuestPercentiles[] = {
    {"p50", 50}, {"p95", 95}, {"p99", 99}, {"p999", 99.9}};

// The metrics of each operation: <op>_us.<suffix>.
struct MetricPercentile {
  const char* suffix;
  double percent;
};
constexpr MetricPercentile kMetricPercentiles[] = {
    {"p50", 50}, {"p90", 90}, {"p99", 99}, {"p999", 99.9}};

// Histogram chart bins per decade of the x axis: the 3-digit layout has thousands of buckets,
// far more than a chart can show.
constexpr double kChartBinsPerDecade = 20;

std::string text(const marker::MarkerEvent& e, size_t i) {
  return i < e.fields.size() ? std::string(e.fields[i].text) : std::string();
}

std::string us_text(double us) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f us", us);
  return buf;
}

// Parses "12,345,6789" into `out`; false at the first token that is not a decimal integer.
bool parse_batch(std::string_view values, std::vector<uint64_t>& out) {
  size_t pos = 0;
  for (;;) {
    const size_t comma = std::min(values.find(',', pos), values.size());
    uint64_t v = 0;
    const char* first = values.data() + pos;
    const char* last = values.data() + comma;
    const auto [ptr, ec] = std::from_chars(first, last, v);
    if (first == last || ec != std::errc() || ptr != last) return false;
    out.push_back(v);
    if (comma == values.size()) return true;
    pos = comma + 1;
  }
}

// One histogram chart of an operation: bucket counts merged into log-spaced bins (x in us), the
// metric percentiles as rules.
stats::Chart latency_chart(const PerfAnalyzer::Operation& op) {
  stats::Chart c;
  c.kind = stats::Chart::Kind::Histogram;
  c.id = "perf." + op.name + ".latency";
  c.title = op.name + " latency (" + std::to_string(op.histogram.count()) + " samples)";
  c.x_label = op.name;
  c.x_unit = "us";
  c.y_label = "samples";
  c.log_x = true;
  std::map<long, stats::Point> bins;  // bin number -> (bin start in us, count)
  op.histogram.for_each_bucket([&](const stats::Bucket& b) {
    const double us = std::max(1.0, static_cast<double>(b.lowest)) / 1000;
    const long bin = std::lround(std::floor(std::log10(us) * kChartBinsPerDecade));
    auto& p = bins[bin];
    p.x = std::pow(10, bin / kChartBinsPerDecade);
    p.y += static_cast<double>(b.count);
  });
  stats::Series s{"samples", {}};
  for (const auto& [bin, point] : bins) s.points.push_back(point);
  c.series.push_back(std::move(s));
  for (const auto& m : kMetricPercentiles) {
    const double us = static_cast<double>(op.histogram.value_at_percentile(m.percent)) / 1000;
    c.rules.push_back({us, std::string(m.suffix) + " = " + us_text(us)});
  }
  return c;
}

}  // namespace

stats::HistogramConfig sample_histogram_config() { return {1, 100'000'000'000, 3}; }

PerfAnalyzer::PerfAnalyzer() = default;

PerfAnalyzer::Operation& PerfAnalyzer::operation(std::string_view name) {
  for (auto& op : operations_)
    if (op.name == name) return op;
  operations_.push_back({});
  operations_.back().name = std::string(name);
  return operations_.back();
}

void PerfAnalyzer::on_marker(const marker::MarkerEvent& e) {
  if (e.category != "PERF") return;
  if (e.event == "PROFILE_START") {
    operation(text(e, 0));
  } else if (e.event == "SAMPLES") {
    Operation& op = operation(text(e, 0));
    const auto first = number_field(e, 1);
    std::vector<uint64_t> values;
    if (!first || !parse_batch(text(e, 2), values)) {
      bad_batches_.push_back("line " + std::to_string(e.line_no) + ": " + std::string(e.raw));
      return;
    }
    // `first` numbers the batch's samples: a batch that starts before the end of what came so
    // far repeats samples (a duplicated line), one that starts after it follows a lost batch
    // (counted by PROFILE_END's total).
    const auto expected = op.received + op.gaps;
    if (*first < static_cast<double>(expected)) {
      bad_batches_.push_back("line " + std::to_string(e.line_no) + " (repeats samples from " +
                             std::to_string(static_cast<uint64_t>(*first)) +
                             "): " + std::string(e.raw));
      return;
    }
    op.gaps += static_cast<uint64_t>(*first) - expected;
    for (const uint64_t v : values) op.histogram.record(v);
    op.received += values.size();
  } else if (e.event == "PROFILE_END") {
    if (const auto n = number_field(e, 1)) operation(text(e, 0)).announced = *n;
  } else if (e.event == "SAMPLE") {
    if (const auto us = number_field(e, 1)) operation(text(e, 0)).guest_us[text(e, 2)] = *us;
  } else if (e.event == "THROUGHPUT") {
    if (const auto ops = number_field(e, 1)) operation(text(e, 0)).throughput = *ops;
  } else if (e.event == "MEMORY") {
    const auto a = number_field(e, 0), p = number_field(e, 1), f = number_field(e, 2);
    if (a && p && f) memory_ = Memory{*a, *p, *f};
  } else if (e.event == "REPORT") {
    if (const auto v = number_field(e, 1)) reports_[text(e, 0)] = *v;
  }
}

void PerfAnalyzer::check(const Operation& op, campaign::RunResult& result) const {
  const auto fail = [&](std::string reason, std::string signature) {
    result.findings.push_back({Verdict::Fail, std::move(reason), std::move(signature)});
  };
  if (!op.announced) {
    fail("perf " + op.name + ": the profile never ended (no PERF:PROFILE_END); " +
             std::to_string(op.received) + " samples received",
         "FAIL perf " + op.name + " profile-not-ended");
    return;
  }
  if (op.received != *op.announced) {
    fail("perf " + op.name + ": the guest announced " + std::to_string(*op.announced) +
             " samples, " + std::to_string(op.received) + " arrived",
         "FAIL perf " + op.name + " samples-missing");
    return;  // the percentiles of a partial set say nothing about the guest's
  }
  if (op.received == 0) {
    fail("perf " + op.name + ": no samples", "FAIL perf " + op.name + " no-samples");
    return;
  }
  for (const auto& g : kGuestPercentiles) {
    const auto it = op.guest_us.find(g.name);
    if (it == op.guest_us.end()) {
      fail("perf " + op.name + ": the guest gave no " + g.name,
           "FAIL perf " + op.name + " guest-percentile-missing");
      continue;
    }
    // Both are nearest-rank percentiles of the same samples: the guest's exact, the harness's
    // the middle of its histogram bucket, so they may differ by up to half that bucket's width.
    const uint64_t ours = op.histogram.value_at_percentile(g.percent);
    const size_t bucket = op.histogram.index_of(ours);
    const double width = static_cast<double>(op.histogram.highest_equivalent(bucket) -
                                             op.histogram.lowest_equivalent(bucket) + 1);
    const double guest_ns = it->second * 1000;
    if (std::fabs(guest_ns - static_cast<double>(ours)) > width / 2 + 0.5)
      fail("perf " + op.name + ": the guest's " + g.name + " is " + us_text(it->second) +
               ", the harness's " + us_text(static_cast<double>(ours) / 1000) +
               " (histogram bucket " + us_text(width / 1000) + " wide)",
           "FAIL perf " + op.name + " percentile-mismatch " + g.name);
  }
}

void PerfAnalyzer::finish(campaign::RunResult& result) {
  for (const auto& bad : bad_batches_)
    result.findings.push_back({Verdict::Fail, "perf: unreadable PERF:SAMPLES batch at " + bad,
                               "FAIL perf bad-sample-batch"});
  for (const auto& op : operations_) {
    check(op, result);
    result.metrics[op.name + ".samples"] = static_cast<double>(op.received);
    result.metrics[op.name + ".samples_missing"] =
        op.announced && *op.announced > op.received
            ? static_cast<double>(*op.announced - op.received)
            : 0;
    if (op.throughput) result.metrics["throughput." + op.name] = *op.throughput;
    if (op.histogram.count() == 0) continue;
    stats::store_histogram(result.analysis, op.name + "_ns", "ns", op.histogram);
    for (const auto& m : kMetricPercentiles)
      result.metrics[op.name + "_us." + m.suffix] =
          static_cast<double>(op.histogram.value_at_percentile(m.percent)) / 1000;
    result.metrics[op.name + "_us.max"] = static_cast<double>(op.histogram.max()) / 1000;
    analysis::add_chart(result.analysis, latency_chart(op));
  }
  if (memory_) {
    result.metrics["memory.allocated_kb"] = memory_->allocated_kb;
    result.metrics["memory.peak_kb"] = memory_->peak_kb;
    result.metrics["memory.fragmentation_pct"] = memory_->fragmentation_pct;
  }
  for (const auto& [metric, value] : reports_) result.metrics["report." + metric] = value;
}

campaign::AnalyzerInfo perf_analyzer_info() {
  using B = campaign::MetricInfo::Better;
  using C = campaign::MetricInfo::Clock;
  std::vector<campaign::MetricInfo> metrics;
  for (const char* op :
       {"client_create", "buffer_commit", "event_delivery", "input_roundtrip", "composition"}) {
    const std::string o = op;
    // The tail beyond p99 is a handful of samples per run, mostly host preemptions of QEMU:
    // reported, but a gate on it would cry wolf.
    metrics.push_back(
        {o + "_us.p999", "us", B::Neither, o + " latency p99.9 (informational)", C::Guest});
    metrics.push_back(
        {o + "_us.max", "us", B::Neither, o + " largest sample (informational)", C::Guest});
    metrics.push_back({o + "_us.*", "us", B::Lower,
                       o + " latency percentiles .p50 .p90 .p99, from every raw sample "
                           "(PERF:SAMPLES)",
                       C::Guest});
    metrics.push_back({o + "_ns.*", "ns", B::Neither,
                       "the same percentiles as the gate derives them from the stored "
                       "histogram, in ns (the _us metrics are the gating ones)",
                       C::Guest});
    metrics.push_back({o + ".samples", "", B::Neither, o + " samples received"});
    metrics.push_back({o + ".samples_missing", "", B::Lower,
                       o + " samples announced by PERF:PROFILE_END but not received"});
  }
  metrics.push_back({"throughput.composition", "ops/s", B::Higher,
                     "frames composed per second while composition was profiled"});
  metrics.push_back({"throughput.*", "ops/s", B::Neither,
                     "operations per second of guest time while profiled (PERF:THROUGHPUT); "
                     "paced by the workload, so not gating"});
  metrics.push_back({"memory.allocated_kb", "KiB", B::Neither,
                     "kernel heap live at the end of the profile (PERF:MEMORY)"});
  metrics.push_back({"memory.peak_kb", "KiB", B::Lower, "kernel heap peak (PERF:MEMORY)"});
  metrics.push_back({"memory.fragmentation_pct", "%", B::Neither,
                     "share of the heap's pages not covered by live bytes (PERF:MEMORY)"});
  metrics.push_back({"report.*", "", B::Neither, "PERF:REPORT figures, by their metric name"});
  return {"perf",
          "PERF:* markers: a latency histogram per operation from every raw sample, percentiles "
          "cross-checked with the guest's, throughput, heap",
          std::move(metrics),
          [](const campaign::AnalyzerSetup&) { return std::make_unique<PerfAnalyzer>(); }};
}

}  // namespace osh::perf
