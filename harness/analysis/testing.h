#pragma once
// What the analyzer tests share: a schema with the SOAK and STRESS markers as
// os/rayos.schema.json declares them, minus seq and CRC (docs/soak.md, docs/stress.md), and a
// way to run an analyzer over console text.
#include <string>

#include "harness/campaign/analyzer.h"
#include "harness/campaign/plugins.h"
#include "harness/campaign/run_result.h"
#include "harness/marker/marker_stream.h"
#include "harness/marker/schema.h"

namespace osh::analysis::testing {

inline constexpr const char* kTestSchema = R"({"prefix": "RAYOS", "markers": [
  {"marker": "SYS:HEARTBEAT", "fields": [{"name": "uptime_ms", "type": "u64"}]},
  {"marker": "PROC:CRASHED", "fields": [{"name": "pid", "type": "u32"}, {"name": "exception", "type": "id"}]},
  {"marker": "PROC:KILLED", "fields": [{"name": "pid", "type": "u32"}, {"name": "reason", "type": "id"}]},
  {"marker": "SOAK:START", "fields": [{"name": "clients", "type": "u32"}, {"name": "duration_sec", "type": "u64"}]},
  {"marker": "SOAK:CLIENT_CREATED", "fields": [{"name": "id", "type": "u32"}]},
  {"marker": "SOAK:CLIENT_DESTROYED", "fields": [{"name": "id", "type": "u32"}]},
  {"marker": "SOAK:METRICS_SNAPSHOT", "fields": [{"name": "cpu_pct", "type": "u32"}, {"name": "mem_kb", "type": "u64"},
                                                 {"name": "latency_us", "type": "u64"}, {"name": "fps", "type": "u32"}]},
  {"marker": "SOAK:COMPLETE", "fields": [{"name": "result", "type": "id"}]},
  {"marker": "STRESS:START", "fields": [{"name": "test_type", "type": "id"}, {"name": "target_level", "type": "u32"}]},
  {"marker": "STRESS:LOAD_APPLIED", "fields": [{"name": "level", "type": "u32"}, {"name": "cpu_percent", "type": "u32"},
                                               {"name": "mem_percent", "type": "u32"}]},
  {"marker": "STRESS:LATENCY_SAMPLE", "fields": [{"name": "latency_us", "type": "u64"}]},
  {"marker": "STRESS:DEGRADATION", "fields": [{"name": "level", "type": "u32"}, {"name": "latency_ratio", "type": "u64"}]},
  {"marker": "STRESS:DISK", "fields": [{"name": "level", "type": "u32"}, {"name": "iops", "type": "u64"},
                                       {"name": "verified", "type": "u64"}, {"name": "errors", "type": "u64"}]},
  {"marker": "STRESS:CORRUPTION", "fields": [{"name": "block", "type": "u64"}, {"name": "check", "type": "id"},
                                             {"name": "expected_generation", "type": "u32"}]},
  {"marker": "STRESS:IO_ERROR", "fields": [{"name": "op", "type": "id"}, {"name": "block", "type": "u64"},
                                           {"name": "status", "type": "id"}, {"name": "attempt", "type": "u32"}]},
  {"marker": "STRESS:DISK_VERIFY", "fields": [{"name": "blocks", "type": "u64"}, {"name": "errors", "type": "u64"}]},
  {"marker": "STRESS:ERROR", "fields": [{"name": "reason", "type": "word"}]},
  {"marker": "STRESS:COMPLETE", "fields": [{"name": "result", "type": "id"}]}]})";

// A console line holding the marker `body` ("SOAK:COMPLETE:pass").
inline std::string marker(const std::string& body) { return "RAYOS_" + body + "\n"; }

// The schema file at `path` (os/rayos.schema.json) with seq and CRC not required, so that tests
// can write markers by hand.
const marker::Schema& relaxed_schema(const std::string& path);

// Feeds `console` (lines of text, markers without seq or CRC) through a marker stream into
// `analyzer` and returns what it adds to a fresh result; the verdict is decided as the runner
// does, from the analyzer's findings alone.
campaign::RunResult analyze(campaign::Analyzer& analyzer, const std::string& console);
// The same over any schema (the perf tests use the real rayos schema).
campaign::RunResult analyze(campaign::Analyzer& analyzer, const marker::Schema& schema,
                            const std::string& console);

// A registry with the QEMU backend and what `register_plugin` adds, for loading a campaign
// folder's specs in its tests.
campaign::Plugins plugins_with(void (*register_plugin)(campaign::Plugins&));

// Whether the spec criterion `text` ("fps.min >= 59") holds for `result`'s metrics.
bool criterion_holds(const campaign::RunResult& result, const std::string& text);

// Every metric in `result` is a base metric or one `analyzer` declares (so criteria and the gate
// can use it); returns the undeclared ones.
std::string undeclared_metrics(const campaign::RunResult& result,
                               const campaign::AnalyzerInfo& analyzer);

}  // namespace osh::analysis::testing
