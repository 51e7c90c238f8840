// Google Benchmark for the histogram hot path and the statistics the gate runs
// (docs/performance.md, "Histograms and the gate").
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "harness/stats/histogram.h"
#include "harness/stats/histogram_json.h"
#include "harness/stats/rank_tests.h"

namespace {

using osh::stats::Histogram;
using osh::stats::HistogramConfig;

// Latency-like values (lognormal, median 1000, heavy right tail), generated up front so that
// the loop times only record().
std::vector<uint64_t> latencies(size_t n, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(std::log(1000), 1);
  std::vector<uint64_t> v(n);
  for (auto& x : v) x = static_cast<uint64_t>(d(rng));
  return v;
}

Histogram filled(size_t n, uint64_t seed = 1, HistogramConfig config = {}) {
  Histogram h(config);
  for (const auto v : latencies(n, seed)) h.record(v);
  return h;
}

void BM_Record(benchmark::State& state) {
  const auto values = latencies(1 << 16);
  Histogram h({.lowest = 1, .highest = 3'600'000'000, .digits = static_cast<int>(state.range(0))});
  for (auto _ : state) {
    for (const auto v : values) h.record(v);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * values.size()));
  state.counters["ns_per_value"] =
      benchmark::Counter(static_cast<double>(state.iterations() * values.size()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_Record)->Arg(2)->Arg(3)->Arg(4);

void BM_MergeSameLayout(benchmark::State& state) {
  const auto other = filled(100000, 2);
  Histogram h = filled(100000, 3);
  for (auto _ : state) {
    h.merge(other);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_MergeSameLayout);

void BM_MergeOtherLayout(benchmark::State& state) {
  const auto other = filled(100000, 2, {.lowest = 1, .highest = 1'000'000'000, .digits = 2});
  Histogram h = filled(100000, 3);
  for (auto _ : state) {
    h.merge(other);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_MergeOtherLayout);

void BM_Percentile(benchmark::State& state) {
  const auto h = filled(1000000);
  const double p = static_cast<double>(state.range(0)) / 10;
  for (auto _ : state) benchmark::DoNotOptimize(h.value_at_percentile(p));
}
BENCHMARK(BM_Percentile)->Arg(500)->Arg(990)->Arg(999);

void BM_ToJson(benchmark::State& state) {
  const auto h = filled(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(osh::stats::to_json(h).dump());
  state.counters["json_bytes"] = static_cast<double>(osh::stats::to_json(h).dump().size());
}
BENCHMARK(BM_ToJson)->Arg(2000)->Arg(1000000);

void BM_FromJson(benchmark::State& state) {
  const auto j = osh::stats::to_json(filled(static_cast<size_t>(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(osh::stats::histogram_from_json(j, "bench", "h"));
}
BENCHMARK(BM_FromJson)->Arg(2000)->Arg(1000000);

// The gate's per-metric work: an exact rank test and a shift interval on per-run values.
void BM_GateComparison(benchmark::State& state) {
  const size_t runs = static_cast<size_t>(state.range(0));
  std::mt19937_64 rng(4);
  std::lognormal_distribution<double> d(0, 0.05);
  std::vector<double> x(runs), y(runs);
  for (auto& v : x) v = std::log(d(rng));
  for (auto& v : y) v = std::log(d(rng) * 1.1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(osh::stats::mann_whitney(x, y));
    benchmark::DoNotOptimize(osh::stats::hodges_lehmann(x, y, 0.95));
  }
}
BENCHMARK(BM_GateComparison)->Arg(5)->Arg(10)->Arg(30)->Arg(100);

}  // namespace

BENCHMARK_MAIN();
