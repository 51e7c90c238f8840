// The perf analyzer on synthetic PERF streams, parsed with the real rayos schema (seq and CRC
// not required): histograms from every raw sample, percentiles checked against a plain sort,
// the guest's percentiles cross-checked, missing and unreadable samples, charts, and the specs.
#include "perf/perf_analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "harness/analysis/testing.h"
#include "harness/campaign/spec.h"
#include "harness/marker/schema.h"
#include "harness/stats/chart.h"
#include "harness/stats/run_histograms.h"
#include "perf/plugin.h"

namespace osh::perf {
namespace {

using analysis::testing::criterion_holds;
using analysis::testing::marker;
using analysis::testing::undeclared_metrics;
using campaign::Verdict;

const marker::Schema& rayos_schema() { return analysis::testing::relaxed_schema(OSH_RAYOS_SCHEMA); }

campaign::RunResult analyze(const std::string& console) {
  PerfAnalyzer analyzer;
  return analysis::testing::analyze(analyzer, rayos_schema(), console);
}

// The guest's nearest-rank percentile (os/core/perf_stats), computed here independently.
uint64_t exact(std::vector<uint64_t> v, double percent) {
  std::sort(v.begin(), v.end());
  size_t rank =
      static_cast<size_t>(std::ceil(percent / 100 * static_cast<double>(v.size()) - 1e-9));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

std::string us3(uint64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%03llu", static_cast<unsigned long long>(ns / 1000),
                static_cast<unsigned long long>(ns % 1000));
  return buf;
}

// A whole profile as rayos prints it: batches of `batch` samples, PROFILE_END, the guest's
// percentiles (`guest_scale` distorts them), throughput and memory.
std::string profile(const std::string& op, const std::vector<uint64_t>& samples, size_t batch = 12,
                    double guest_scale = 1.0, size_t drop_batch = SIZE_MAX) {
  std::string log = marker("PERF:PROFILE_START:" + op);
  for (size_t first = 0, b = 0; first < samples.size(); first += batch, ++b) {
    std::string values;
    for (size_t i = first; i < std::min(samples.size(), first + batch); ++i)
      values += (values.empty() ? "" : ",") + std::to_string(samples[i]);
    if (b != drop_batch)
      log += marker("PERF:SAMPLES:" + op + ":" + std::to_string(first) + ":" + values);
  }
  log += marker("PERF:PROFILE_END:" + op + ":" + std::to_string(samples.size()));
  for (const auto& [name, p] :
       {std::pair{"p50", 50.0}, {"p95", 95.0}, {"p99", 99.0}, {"p999", 99.9}})
    log += marker("PERF:SAMPLE:" + op + ":" +
                  us3(static_cast<uint64_t>(static_cast<double>(exact(samples, p)) * guest_scale)) +
                  ":" + name);
  log += marker("PERF:THROUGHPUT:" + op + ":970");
  log += marker("PERF:MEMORY:1264:1300:2");
  log += marker("PERF:REPORT:frames_dropped:3:frames");
  return log;
}

std::vector<uint64_t> lognormal(size_t n, double median_ns, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(std::log(median_ns), 0.6);
  std::vector<uint64_t> v(n);
  for (auto& x : v) x = static_cast<uint64_t>(d(rng)) + 1;
  return v;
}

TEST(PerfAnalyzer, EverySampleInTheHistogramAndPercentilesWithinItsPrecision) {
  const auto samples = lognormal(5000, 40'000, 1);
  const auto r = analyze(profile("buffer_commit", samples));
  EXPECT_EQ(r.verdict, Verdict::Pass) << r.reason;
  EXPECT_EQ(r.metrics.at("buffer_commit.samples"), 5000);
  EXPECT_EQ(r.metrics.at("buffer_commit.samples_missing"), 0);
  for (const auto& [suffix, p] :
       {std::pair{"p50", 50.0}, {"p90", 90.0}, {"p99", 99.0}, {"p999", 99.9}}) {
    const double want_us = static_cast<double>(exact(samples, p)) / 1000;
    EXPECT_NEAR(r.metrics.at(std::string("buffer_commit_us.") + suffix), want_us, want_us * 0.0005)
        << suffix;
  }
  EXPECT_DOUBLE_EQ(r.metrics.at("buffer_commit_us.max"),
                   static_cast<double>(*std::max_element(samples.begin(), samples.end())) / 1000);
  EXPECT_EQ(r.metrics.at("throughput.buffer_commit"), 970);
  EXPECT_EQ(r.metrics.at("memory.peak_kb"), 1300);
  EXPECT_EQ(r.metrics.at("report.frames_dropped"), 3);
  EXPECT_EQ(undeclared_metrics(r, perf_analyzer_info()), "");

  const auto histograms = stats::load_histograms(r.analysis, "test");
  ASSERT_TRUE(histograms.contains("buffer_commit_ns"));
  EXPECT_EQ(histograms.at("buffer_commit_ns").unit, "ns");
  EXPECT_EQ(histograms.at("buffer_commit_ns").histogram.count(), 5000u);

  ASSERT_EQ(r.analysis["charts"].size(), 1u);
  const auto chart = stats::chart_from_json(r.analysis["charts"][0], "test");
  EXPECT_EQ(chart.kind, stats::Chart::Kind::Histogram);
  EXPECT_EQ(chart.rules.size(), 4u);
  double drawn = 0;
  for (const auto& p : chart.series.at(0).points) drawn += p.y;
  EXPECT_EQ(drawn, 5000);  // every sample in some bin
  EXPECT_LE(chart.series.at(0).points.size(), 200u);
}

TEST(PerfAnalyzer, CriteriaOfThePlanCanFail) {
  const auto fast = analyze(profile("buffer_commit", lognormal(1000, 40'000, 2)));
  EXPECT_TRUE(criterion_holds(fast, "buffer_commit_us.p99 < 2000"));
  const auto slow = analyze(profile("buffer_commit", lognormal(1000, 3'000'000, 2)));
  EXPECT_FALSE(criterion_holds(slow, "buffer_commit_us.p99 < 2000"));
}

TEST(PerfAnalyzer, AMissingBatchIsCountedAndFails) {
  const auto r = analyze(profile("event_delivery", lognormal(100, 300'000, 3), 12, 1.0, 2));
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_EQ(r.metrics.at("event_delivery.samples"), 88);
  EXPECT_EQ(r.metrics.at("event_delivery.samples_missing"), 12);
  EXPECT_EQ(r.signature, "FAIL perf event_delivery samples-missing") << r.reason;
  EXPECT_NE(r.reason.find("announced 100 samples, 88 arrived"), std::string::npos) << r.reason;
}

TEST(PerfAnalyzer, AProfileThatNeverEndedFails) {
  std::string log = profile("composition", lognormal(50, 400'000, 4));
  log = log.substr(0, log.find("RAYOS_PERF:PROFILE_END"));
  const auto r = analyze(log);
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_EQ(r.signature, "FAIL perf composition profile-not-ended");
}

TEST(PerfAnalyzer, GuestPercentilesThatDisagreeFail) {
  // 1% off is ten times the histogram's precision at 3 digits.
  const auto off = analyze(profile("client_create", lognormal(2000, 700'000, 5), 12, 1.01));
  EXPECT_EQ(off.verdict, Verdict::Fail);
  EXPECT_EQ(off.findings.size(), 4u);
  EXPECT_EQ(off.findings[0].signature, "FAIL perf client_create percentile-mismatch p50");
  // 0.3% is three times that precision: still caught.
  const auto near = analyze(profile("client_create", lognormal(2000, 700'000, 5), 12, 0.997));
  EXPECT_EQ(near.verdict, Verdict::Fail);
  // The exact values, against the middle of their buckets: agreement.
  const auto exact = analyze(profile("client_create", lognormal(2000, 700'000, 5)));
  EXPECT_EQ(exact.verdict, Verdict::Pass) << exact.reason;
}

TEST(PerfAnalyzer, ARepeatedBatchFails) {
  std::string log = profile("buffer_commit", {1000, 2000, 3000, 4000}, 2);
  log.insert(log.find("RAYOS_PERF:PROFILE_END"), marker("PERF:SAMPLES:buffer_commit:2:3000,4000"));
  const auto r = analyze(log);
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_EQ(r.signature, "FAIL perf bad-sample-batch");
  EXPECT_NE(r.reason.find("repeats samples from 2"), std::string::npos) << r.reason;
}

TEST(PerfAnalyzer, AnUnreadableBatchFails) {
  std::string log = profile("input_roundtrip", {1000, 2000, 3000});
  log += marker("PERF:SAMPLES:input_roundtrip:3:12,x4");
  const auto r = analyze(log);
  EXPECT_EQ(r.verdict, Verdict::Fail);
  EXPECT_EQ(r.signature, "FAIL perf bad-sample-batch");
}

TEST(PerfSpecs, TheFiveProfilesScaleTheirSamplesAndKeepThePlansBounds) {
  const auto plugins = analysis::testing::plugins_with(register_plugin);
  const std::map<std::string, std::string> bounds = {
      {"client_creation.json", "client_create_us.p99 < 10000"},
      {"buffer_commit.json", "buffer_commit_us.p99 < 2000"},
      {"buffer_commit_slow10.json", "buffer_commit_us.p99 < 2000"},
      {"event_delivery.json", "event_delivery_us.p99 < 5000"},
      {"composition.json", "composition_us.max < 16670"},
      {"input_roundtrip.json", ""}};
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(OSH_PERF_SPEC_DIR)) {
    if (entry.path().extension() != ".json") continue;
    const auto full = campaign::load_spec(entry.path(), {plugins, "/bin", 1.0});
    const auto scaled = campaign::load_spec(entry.path(), {plugins, "/bin", 0.01});
    ++count;
    EXPECT_EQ(full.analyzers, std::vector<std::string>{"perf"}) << entry.path();
    const auto samples = [](const campaign::Spec& s) {
      for (const auto& [k, v] : s.params)
        if (k == "samples") return std::stod(v);
      return 0.0;
    };
    EXPECT_GE(samples(full), 100) << entry.path();
    EXPECT_LT(samples(scaled), samples(full)) << entry.path();
    const auto bound = bounds.at(entry.path().filename().string());
    if (bound.empty()) continue;
    // The plan's latency bars are performance targets: gating under KVM, reported under TCG.
    EXPECT_TRUE(std::any_of(full.targets.begin(), full.targets.end(),
                            [&](const campaign::Criterion& c) { return c.text == bound; }))
        << entry.path();
  }
  EXPECT_EQ(count, 6);
}

}  // namespace
}  // namespace osh::perf
