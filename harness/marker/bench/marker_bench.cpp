// Throughput of the marker parser on generated console logs (noise only, markers only, mixed;
// feed() in chunks as a live run gets them, feed_file as `osharness parse` reads a saved log),
// of the crash scanner's word sieve, and of CRC-32C in hardware and portable form.
// Whole-process figures for `osharness parse` are measured with hyperfine; see
// docs/performance.md.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <random>
#include <sstream>

#include "harness/base/word_sieve.h"
#include "harness/marker/console_log_gen.h"
#include "harness/marker/crc32c_fast.h"
#include "harness/marker/line_splitter.h"
#include "harness/marker/marker_stream.h"
#include "harness/oslog/crash_scanner.h"

namespace osh::marker {
namespace {

const Schema& bench_schema() {
  static const Schema schema = Schema::load(OSH_MARKER_TEST_SCHEMA);
  return schema;
}

std::string make_log(double marker_fraction) {
  LogGenOptions options;
  options.bytes = 32 << 20;
  options.seed = 1;
  options.marker_fraction = marker_fraction;
  std::ostringstream out;
  generate_console_log(bench_schema(), options, out);
  return std::move(out).str();
}

struct Count : MarkerObserver {
  void on_marker(const MarkerEvent& event) override { fields += event.fields.size(); }
  uint64_t fields = 0;
};

// As `osharness parse` counts: no line observer, so feed_file parses on two threads.
struct MarkersOnly : Count {
  bool wants_lines() const override { return false; }
};

// Feeds `log` to a stream in chunks of `chunk` bytes on one thread, as a live run feeds what it
// reads, with one marker observer of type Observer.
template <typename Observer>
void feed_chunks(benchmark::State& state, const Schema& schema, const std::string& log,
                 size_t chunk) {
  MarkerCounts counts;
  for (auto _ : state) {
    MarkerStream s(schema);
    Observer count;
    s.add_observer(&count);
    for (size_t i = 0; i < log.size(); i += chunk) {
      s.feed(std::string_view(log).substr(i, chunk), 0);
    }
    s.finish(0);
    counts = s.counts();
    benchmark::DoNotOptimize(count.fields);
  }
  state.SetBytesProcessed(int64_t(state.iterations() * log.size()));
  state.counters["lines"] = double(counts.lines);
  state.counters["markers"] = double(counts.total);
}

// 256 KiB chunks, with an observer that also takes every line.
void stream(benchmark::State& state, double marker_fraction) {
  feed_chunks<Count>(state, bench_schema(), make_log(marker_fraction), 256 * 1024);
}

void BM_StreamNoiseOnly(benchmark::State& state) { stream(state, 0.001); }
void BM_StreamMarkersOnly(benchmark::State& state) { stream(state, 1.0); }
void BM_StreamMixed(benchmark::State& state) { stream(state, 0.3); }
BENCHMARK(BM_StreamNoiseOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamMarkersOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamMixed)->Unit(benchmark::kMillisecond);

const Schema& rayos_schema() {
  static const Schema schema = Schema::load(OSH_RAYOS_SCHEMA);
  return schema;
}

// Logs like those of docs/performance.md's `osharness parse` figures, 32 MiB: rayos's schema,
// every marker valid, `marker_percent` of the lines markers.
const std::string& rayos_log(int marker_percent) {
  static std::map<int, std::string> logs;
  std::string& log = logs[marker_percent];
  if (log.empty()) {
    LogGenOptions options;
    options.bytes = 32 << 20;
    options.marker_fraction = marker_percent / 100.0;
    options.fault_rate = 0;
    std::ostringstream out;
    generate_console_log(rayos_schema(), options, out);
    log = std::move(out).str();
  }
  return log;
}

// The live path: feed() on one thread in chunks of range(1) bytes, as the runner hands on what
// it reads from the console socket; range(0): the share of marker lines in percent.
void BM_RayosFeed(benchmark::State& state) {
  feed_chunks<MarkersOnly>(state, rayos_schema(), rayos_log(int(state.range(0))),
                           size_t(state.range(1)));
}
BENCHMARK(BM_RayosFeed)
    ->ArgsProduct({{75, 30}, {4 << 10, 64 << 10}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// `log` from a temporary file (in the page cache after the write) through feed_file, two
// threads, as `osharness parse` reads a saved log.
void feed_file(benchmark::State& state, const Schema& schema, const std::string& log) {
  std::FILE* const file = std::tmpfile();
  std::fwrite(log.data(), 1, log.size(), file);
  std::fflush(file);
  for (auto _ : state) {
    ::lseek(fileno(file), 0, SEEK_SET);
    MarkerStream s(schema);
    MarkersOnly count;
    s.add_observer(&count);
    s.feed_file(fileno(file), 0);
    s.finish(0);
    benchmark::DoNotOptimize(count.fields);
  }
  std::fclose(file);
  state.SetBytesProcessed(int64_t(state.iterations() * log.size()));
}

// The file path on the bytes of BM_RayosFeed.
void BM_RayosFeedFile(benchmark::State& state) {
  feed_file(state, rayos_schema(), rayos_log(int(state.range(0))));
}
BENCHMARK(BM_RayosFeedFile)->Arg(75)->Arg(30)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FeedFileMixed(benchmark::State& state) { feed_file(state, bench_schema(), make_log(0.3)); }
BENCHMARK(BM_FeedFileMixed)->Unit(benchmark::kMillisecond)->UseRealTime();

// Line splitting and prefix candidates alone, each way, on the mixed log. kEveryLine false:
// split_key_lines, which calls back only for lines that may hold a marker.
template <int Way, bool kEveryLine = true>
void split(benchmark::State& state) {
  static const std::string log = make_log(0.3);
  if (Way == 2 && !__builtin_cpu_supports("avx2")) {
    state.SkipWithError("no AVX2");
    return;
  }
  for (auto _ : state) {
    uint64_t lines = 0, hints = 0;
    auto count = [&](const char*, const char*, size_t hint) { hints += hint; };
    const char* b = log.data();
    const char* e = b + log.size();
    if (Way == 0) split_lines(b, e, "RAYOS_", count, /*vectorised=*/false);
    if (Way == 1) split_detail::split_sse2<kEveryLine>(b, e, "RAYOS_", lines, count);
    if (Way == 2) split_detail::split_avx2<kEveryLine>(b, e, "RAYOS_", lines, count);
    benchmark::DoNotOptimize(lines);
    benchmark::DoNotOptimize(hints);
  }
  state.SetBytesProcessed(int64_t(state.iterations() * log.size()));
}
void BM_SplitLinesScalar(benchmark::State& state) { split<0>(state); }
void BM_SplitLinesSse2(benchmark::State& state) { split<1>(state); }
void BM_SplitLinesAvx2(benchmark::State& state) { split<2>(state); }
void BM_SplitKeyLinesAvx2(benchmark::State& state) { split<2, false>(state); }
BENCHMARK(BM_SplitLinesScalar)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SplitLinesSse2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SplitLinesAvx2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SplitKeyLinesAvx2)->Unit(benchmark::kMillisecond);

// The crash scanner's sieve alone (Linux's trigger words; none is in the log) over the 30% log
// of BM_RayosFeed, each way; range(0) a WordSieve::Way.
void BM_CrashSieve(benchmark::State& state) {
  const auto way = WordSieve::Way(state.range(0));
  if (!WordSieve::supported(way)) {
    state.SkipWithError("the CPU lacks this way");
    return;
  }
  const WordSieve sieve(oslog::CrashScanner(*oslog::CrashTable::builtin("linux")).triggers());
  const std::string& log = rayos_log(30);
  uint64_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const char* p = log.data(); (p = sieve.find(p, log.data() + log.size(), way)); ++p)
      ++found;
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(int64_t(state.iterations() * log.size()));
  state.counters["found"] = double(found);
}
BENCHMARK(BM_CrashSieve)
    ->Arg(int(WordSieve::Way::Avx512))
    ->Arg(int(WordSieve::Way::Avx2))
    ->Arg(int(WordSieve::Way::Memmem))
    ->Unit(benchmark::kMillisecond);

std::string random_bytes(size_t n) {
  std::mt19937 rng(7);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

template <uint32_t (*Crc)(const void*, size_t, uint32_t)>
void crc(benchmark::State& state) {
  const std::string data = random_bytes(size_t(state.range(0)));
  uint32_t value = 0;
  for (auto _ : state) {
    value = Crc(data.data(), data.size(), value);
    benchmark::DoNotOptimize(value);
  }
  state.SetBytesProcessed(int64_t(state.iterations() * data.size()));
}

void BM_Crc32cHardware(benchmark::State& state) {
  if (!has_hw_crc32c()) {
    state.SkipWithError("no SSE4.2");
    return;
  }
  crc<crc32c_hw>(state);
}
void BM_Crc32cPortable(benchmark::State& state) { crc<crc32c_portable>(state); }
BENCHMARK(BM_Crc32cHardware)->Arg(48)->Arg(4096);
BENCHMARK(BM_Crc32cPortable)->Arg(48)->Arg(4096);

}  // namespace
}  // namespace osh::marker

BENCHMARK_MAIN();
