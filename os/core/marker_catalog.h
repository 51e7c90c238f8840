#pragma once
// Every marker rayos prints, with its fields. os/rayos.schema.json is the published form of this
// list; a unit test checks that the two agree, and the kernel's emit<>() checks the field count
// of every call site at compile time against the entry here.
#include <stddef.h>

#include "os/core/string_view.h"

namespace rayos {

enum class FieldKind : unsigned char { kU32, kU64, kWord, kId };

struct FieldDef {
  StringView name;
  FieldKind kind;
};

struct MarkerDef {
  StringView category;
  StringView event;
  const FieldDef* fields;
  size_t field_count;
};

namespace markers {

inline constexpr FieldDef kBootStartFields[] = {{"version", FieldKind::kWord}};
inline constexpr MarkerDef kBootStart{"BOOT", "START", kBootStartFields, 1};
inline constexpr MarkerDef kBootReady{"BOOT", "READY", nullptr, 0};

inline constexpr FieldDef kScenarioStartFields[] = {{"name", FieldKind::kId},
                                                    {"seed", FieldKind::kU64}};
inline constexpr MarkerDef kScenarioStart{"SCENARIO", "START", kScenarioStartFields, 2};
inline constexpr FieldDef kReasonFields[] = {{"reason", FieldKind::kWord}};
inline constexpr MarkerDef kScenarioError{"SCENARIO", "ERROR", kReasonFields, 1};
inline constexpr MarkerDef kShellError{"SHELL", "ERROR", kReasonFields, 1};

inline constexpr FieldDef kSysExitFields[] = {{"code", FieldKind::kU32}};
inline constexpr MarkerDef kSysExit{"SYS", "EXIT", kSysExitFields, 1};
inline constexpr FieldDef kSysHeartbeatFields[] = {{"uptime_ms", FieldKind::kU64}};
inline constexpr MarkerDef kSysHeartbeat{"SYS", "HEARTBEAT", kSysHeartbeatFields, 1};
inline constexpr FieldDef kSysPanicFields[] = {{"kind", FieldKind::kId},
                                               {"detail", FieldKind::kWord}};
inline constexpr MarkerDef kSysPanic{"SYS", "PANIC", kSysPanicFields, 2};
inline constexpr FieldDef kSysFrameFields[] = {{"index", FieldKind::kU32},
                                               {"address", FieldKind::kWord}};
inline constexpr MarkerDef kSysFrame{"SYS", "FRAME", kSysFrameFields, 2};

inline constexpr FieldDef kHelloStepFields[] = {{"step", FieldKind::kU32},
                                                {"tsc_cycles", FieldKind::kU64}};
inline constexpr MarkerDef kHelloStep{"HELLO", "STEP", kHelloStepFields, 2};

inline constexpr FieldDef kFloodNFields[] = {{"index", FieldKind::kU64}};
inline constexpr MarkerDef kFloodN{"FLOOD", "N", kFloodNFields, 1};
inline constexpr FieldDef kFloodDoneFields[] = {{"count", FieldKind::kU64}};
inline constexpr MarkerDef kFloodDone{"FLOOD", "DONE", kFloodDoneFields, 1};

inline constexpr FieldDef kGarbageLineFields[] = {{"index", FieldKind::kU64}};
inline constexpr MarkerDef kGarbageLine{"GARBAGE", "LINE", kGarbageLineFields, 1};
inline constexpr FieldDef kGarbageSummaryFields[] = {
    {"noise_lines", FieldKind::kU64}, {"malformed", FieldKind::kU64}, {"corrupt", FieldKind::kU64}};
inline constexpr MarkerDef kGarbageSummary{"GARBAGE", "SUMMARY", kGarbageSummaryFields, 3};

inline constexpr FieldDef kCalibrateDoneFields[] = {{"iterations", FieldKind::kU64},
                                                    {"tsc_cycles", FieldKind::kU64}};
inline constexpr MarkerDef kCalibrateDone{"CALIBRATE", "DONE", kCalibrateDoneFields, 2};

inline constexpr FieldDef kClockTscFields[] = {{"tsc_khz", FieldKind::kU64},
                                               {"window_ticks", FieldKind::kU64}};
inline constexpr MarkerDef kClockTsc{"CLOCK", "TSC", kClockTscFields, 2};
inline constexpr FieldDef kClockCheckFields[] = {{"pit_us", FieldKind::kU64},
                                                 {"tsc_us", FieldKind::kU64}};
inline constexpr MarkerDef kClockCheck{"CLOCK", "CHECK", kClockCheckFields, 2};

// Processes (os/kernel/process.cpp).
inline constexpr FieldDef kProcSpawnFields[] = {{"pid", FieldKind::kU32},
                                                {"image", FieldKind::kId}};
inline constexpr MarkerDef kProcSpawn{"PROC", "SPAWN", kProcSpawnFields, 2};
inline constexpr FieldDef kProcSpawnErrorFields[] = {{"image", FieldKind::kWord},
                                                     {"reason", FieldKind::kWord}};
inline constexpr MarkerDef kProcSpawnError{"PROC", "SPAWN_ERROR", kProcSpawnErrorFields, 2};
inline constexpr FieldDef kProcExitFields[] = {{"pid", FieldKind::kU32}, {"code", FieldKind::kU64}};
inline constexpr MarkerDef kProcExit{"PROC", "EXIT", kProcExitFields, 2};
inline constexpr FieldDef kProcCrashedFields[] = {{"pid", FieldKind::kU32},
                                                  {"exception", FieldKind::kId}};
inline constexpr MarkerDef kProcCrashed{"PROC", "CRASHED", kProcCrashedFields, 2};
inline constexpr FieldDef kProcKilledFields[] = {{"pid", FieldKind::kU32},
                                                 {"reason", FieldKind::kId}};
inline constexpr MarkerDef kProcKilled{"PROC", "KILLED", kProcKilledFields, 2};
inline constexpr FieldDef kProcLogFields[] = {{"pid", FieldKind::kU32}, {"text", FieldKind::kWord}};
inline constexpr MarkerDef kProcLog{"PROC", "LOG", kProcLogFields, 2};

// Kernel counters, on request (os/kernel/metrics.cpp).
inline constexpr FieldDef kSysMetricsFields[] = {
    {"uptime_ms", FieldKind::kU64},       {"context_switches", FieldKind::kU64},
    {"page_faults", FieldKind::kU64},     {"syscalls", FieldKind::kU64},
    {"processes", FieldKind::kU32},       {"frames_used", FieldKind::kU64},
    {"frames_free", FieldKind::kU64},     {"heap_live_bytes", FieldKind::kU64},
    {"heap_peak_bytes", FieldKind::kU64}, {"heap_allocations", FieldKind::kU64},
    {"heap_frees", FieldKind::kU64},      {"heap_fragmentation_pct", FieldKind::kU32}};
inline constexpr MarkerDef kSysMetrics{"SYS", "METRICS", kSysMetricsFields, 12};

// Memory misuse and leaks (os/kernel/memory.cpp).
inline constexpr FieldDef kMemErrorFields[] = {{"what", FieldKind::kId},
                                               {"detail", FieldKind::kWord}};
inline constexpr MarkerDef kMemError{"MEM", "ERROR", kMemErrorFields, 2};
inline constexpr FieldDef kMemLeakFields[] = {
    {"tag", FieldKind::kU32}, {"blocks", FieldKind::kU64}, {"bytes", FieldKind::kU64}};
inline constexpr MarkerDef kMemLeak{"MEM", "LEAK", kMemLeakFields, 3};

// IPC queues (os/kernel/ipc.cpp).
inline constexpr FieldDef kIpcCorruptFields[] = {{"queue", FieldKind::kU32},
                                                 {"reason", FieldKind::kId}};
inline constexpr MarkerDef kIpcCorrupt{"IPC", "CORRUPT", kIpcCorruptFields, 2};

// Workflows (os/kernel/workflow_runner.cpp).
inline constexpr FieldDef kWorkflowSubmitFields[] = {{"workflow", FieldKind::kU32},
                                                     {"nodes", FieldKind::kU32}};
inline constexpr MarkerDef kWorkflowSubmit{"WORKFLOW", "SUBMIT", kWorkflowSubmitFields, 2};
inline constexpr FieldDef kWorkflowRejectFields[] = {{"workflow", FieldKind::kU32},
                                                     {"reason", FieldKind::kWord}};
inline constexpr MarkerDef kWorkflowReject{"WORKFLOW", "REJECT", kWorkflowRejectFields, 2};
inline constexpr FieldDef kWorkflowStartFields[] = {
    {"workflow", FieldKind::kU32}, {"node", FieldKind::kU32}, {"pid", FieldKind::kU32}};
inline constexpr MarkerDef kWorkflowStart{"WORKFLOW", "START", kWorkflowStartFields, 3};
inline constexpr FieldDef kWorkflowCompleteFields[] = {
    {"workflow", FieldKind::kU32}, {"node", FieldKind::kU32}, {"result", FieldKind::kId}};
inline constexpr MarkerDef kWorkflowComplete{"WORKFLOW", "COMPLETE", kWorkflowCompleteFields, 3};
inline constexpr FieldDef kWorkflowSkipFields[] = {
    {"workflow", FieldKind::kU32}, {"node", FieldKind::kU32}, {"because", FieldKind::kU32}};
inline constexpr MarkerDef kWorkflowSkip{"WORKFLOW", "SKIP", kWorkflowSkipFields, 3};
inline constexpr FieldDef kWorkflowDoneFields[] = {{"workflow", FieldKind::kU32},
                                                   {"succeeded", FieldKind::kU32},
                                                   {"failed", FieldKind::kU32},
                                                   {"skipped", FieldKind::kU32}};
inline constexpr MarkerDef kWorkflowDone{"WORKFLOW", "DONE", kWorkflowDoneFields, 4};
inline constexpr FieldDef kWorkflowStuckFields[] = {{"workflow", FieldKind::kU32},
                                                    {"pending", FieldKind::kU32}};
inline constexpr MarkerDef kWorkflowStuck{"WORKFLOW", "STUCK", kWorkflowStuckFields, 2};

// In-guest tests (os/kernel/selftest.cpp); the harness makes one JUnit testcase of each.
inline constexpr FieldDef kTestNameFields[] = {{"name", FieldKind::kId}};
inline constexpr MarkerDef kTestStart{"TEST", "START", kTestNameFields, 1};
inline constexpr MarkerDef kTestPass{"TEST", "PASS", kTestNameFields, 1};
inline constexpr FieldDef kTestFailFields[] = {{"name", FieldKind::kId},
                                               {"reason", FieldKind::kWord}};
inline constexpr MarkerDef kTestFail{"TEST", "FAIL", kTestFailFields, 2};
inline constexpr FieldDef kTestSummaryFields[] = {{"passed", FieldKind::kU64},
                                                  {"failed", FieldKind::kU64}};
inline constexpr MarkerDef kTestSummary{"TEST", "SUMMARY", kTestSummaryFields, 2};

// Measurements (DESIGN §4 RAYOS_PERF:REPORT).
inline constexpr FieldDef kPerfReportFields[] = {
    {"metric", FieldKind::kId}, {"value", FieldKind::kU64}, {"unit", FieldKind::kWord}};
inline constexpr MarkerDef kPerfReport{"PERF", "REPORT", kPerfReportFields, 3};

// The process soak (os/workloads/procsoak.cpp).
inline constexpr FieldDef kSoakStartFields[] = {{"clients", FieldKind::kU32},
                                                {"duration_sec", FieldKind::kU64}};
inline constexpr MarkerDef kSoakStart{"SOAK", "START", kSoakStartFields, 2};
inline constexpr FieldDef kSoakProcSummaryFields[] = {
    {"spawned", FieldKind::kU64},    {"exited", FieldKind::kU64},
    {"crashed", FieldKind::kU64},    {"killed", FieldKind::kU64},
    {"unexpected", FieldKind::kU64}, {"pages_leaked", FieldKind::kU64}};
inline constexpr MarkerDef kSoakProcSummary{"SOAK", "PROC_SUMMARY", kSoakProcSummaryFields, 6};
inline constexpr FieldDef kSoakCompleteFields[] = {{"result", FieldKind::kId}};
inline constexpr MarkerDef kSoakComplete{"SOAK", "COMPLETE", kSoakCompleteFields, 1};

inline constexpr const MarkerDef* kAll[] = {
    &kBootStart,        &kBootReady,    &kScenarioStart,  &kScenarioError,  &kShellError,
    &kSysExit,          &kSysHeartbeat, &kSysPanic,       &kSysFrame,       &kHelloStep,
    &kFloodN,           &kFloodDone,    &kGarbageLine,    &kGarbageSummary, &kCalibrateDone,
    &kClockTsc,         &kClockCheck,   &kProcSpawn,      &kProcSpawnError, &kProcExit,
    &kProcCrashed,      &kProcKilled,   &kProcLog,        &kSysMetrics,     &kMemError,
    &kMemLeak,          &kIpcCorrupt,   &kWorkflowSubmit, &kWorkflowReject, &kWorkflowStart,
    &kWorkflowComplete, &kWorkflowSkip, &kWorkflowDone,   &kWorkflowStuck,  &kTestStart,
    &kTestPass,         &kTestFail,     &kTestSummary,    &kPerfReport,     &kSoakStart,
    &kSoakProcSummary,  &kSoakComplete};
}  // namespace markers
}  // namespace rayos
