// How long the report writers take, and how big report.html gets, for a 1000-run campaign:
//   build/bin/report_bench --benchmark_counters_tabular=true
// Arguments: runs, charts per run (0: only the campaign charts; 2: a soak time series of
// 3 x 121 points and a 45-bucket latency histogram per run).
#include <benchmark/benchmark.h>

#include <sstream>

#include "reports/html_report.h"
#include "reports/report_writer.h"
#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

void BM_HtmlReport(benchmark::State& state) {
  const auto outcome =
      testing::many_runs(static_cast<size_t>(state.range(0)), static_cast<int>(state.range(1)));
  size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream out;
    HtmlReport().write(outcome, out);
    bytes = out.str().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["html_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_HtmlReport)->Args({1000, 0})->Args({1000, 2})->Unit(benchmark::kMillisecond);

// Every report, through files as `osharness report` writes them.
void BM_WriteAllReports(benchmark::State& state) {
  testing::TempDir dir;
  auto outcome =
      testing::many_runs(static_cast<size_t>(state.range(0)), static_cast<int>(state.range(1)));
  outcome.out_dir = dir.path();
  for (auto _ : state)
    benchmark::DoNotOptimize(write_reports(outcome, dir.path(), builtin_writers()));
}
BENCHMARK(BM_WriteAllReports)->Args({1000, 0})->Args({1000, 2})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace osh::reports

BENCHMARK_MAIN();
