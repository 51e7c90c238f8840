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
// The perf scenario (os/workloads/perf.cpp, docs/rayos.md "Perf").
inline constexpr FieldDef kPerfProfileStartFields[] = {{"operation", FieldKind::kId}};
inline constexpr MarkerDef kPerfProfileStart{"PERF", "PROFILE_START", kPerfProfileStartFields, 1};
inline constexpr FieldDef kPerfSamplesFields[] = {
    {"operation", FieldKind::kId}, {"first", FieldKind::kU64}, {"values_ns", FieldKind::kWord}};
inline constexpr MarkerDef kPerfSamples{"PERF", "SAMPLES", kPerfSamplesFields, 3};
inline constexpr FieldDef kPerfProfileEndFields[] = {{"operation", FieldKind::kId},
                                                     {"samples", FieldKind::kU64}};
inline constexpr MarkerDef kPerfProfileEnd{"PERF", "PROFILE_END", kPerfProfileEndFields, 2};
inline constexpr FieldDef kPerfSampleFields[] = {{"operation", FieldKind::kId},
                                                 {"latency_us", FieldKind::kWord},
                                                 {"percentile", FieldKind::kId}};
inline constexpr MarkerDef kPerfSample{"PERF", "SAMPLE", kPerfSampleFields, 3};
inline constexpr FieldDef kPerfThroughputFields[] = {{"operation", FieldKind::kId},
                                                     {"ops_per_sec", FieldKind::kU64}};
inline constexpr MarkerDef kPerfThroughput{"PERF", "THROUGHPUT", kPerfThroughputFields, 2};
inline constexpr FieldDef kPerfMemoryFields[] = {{"allocated_kb", FieldKind::kU64},
                                                 {"peak_kb", FieldKind::kU64},
                                                 {"fragmentation_percent", FieldKind::kU64}};
inline constexpr MarkerDef kPerfMemory{"PERF", "MEMORY", kPerfMemoryFields, 3};

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

// The compositor soak (os/workloads/soak.cpp, os/kernel/compositor_metrics.cpp).
inline constexpr FieldDef kSoakClientFields[] = {{"id", FieldKind::kU32}};
inline constexpr MarkerDef kSoakClientCreated{"SOAK", "CLIENT_CREATED", kSoakClientFields, 1};
inline constexpr MarkerDef kSoakClientDestroyed{"SOAK", "CLIENT_DESTROYED", kSoakClientFields, 1};
inline constexpr FieldDef kSoakMetricsSnapshotFields[] = {{"cpu_pct", FieldKind::kU32},
                                                          {"mem_kb", FieldKind::kU64},
                                                          {"latency_us", FieldKind::kU64},
                                                          {"fps", FieldKind::kU32}};
inline constexpr MarkerDef kSoakMetricsSnapshot{"SOAK", "METRICS_SNAPSHOT",
                                                kSoakMetricsSnapshotFields, 4};
inline constexpr FieldDef kSoakCompositorSummaryFields[] = {
    {"frames_composed", FieldKind::kU64},   {"frames_dropped", FieldKind::kU64},
    {"pixels_blended", FieldKind::kU64},    {"events_queued", FieldKind::kU64},
    {"events_overflowed", FieldKind::kU64}, {"latency_reports", FieldKind::kU64},
    {"drags_completed", FieldKind::kU64},   {"drags_cancelled", FieldKind::kU64}};
inline constexpr MarkerDef kSoakCompositorSummary{"SOAK", "COMPOSITOR_SUMMARY",
                                                  kSoakCompositorSummaryFields, 8};

// Failure injection (DESIGN §4 RAYOS_FAILURE; checked by inject/failure_analyzer).
inline constexpr FieldDef kFailureInjectFields[] = {{"scenario", FieldKind::kId},
                                                    {"target_id", FieldKind::kU32}};
inline constexpr MarkerDef kFailureInject{"FAILURE", "INJECT", kFailureInjectFields, 2};
inline constexpr FieldDef kFailureDetectedFields[] = {{"failure_type", FieldKind::kId},
                                                      {"id", FieldKind::kU32}};
inline constexpr MarkerDef kFailureDetected{"FAILURE", "DETECTED", kFailureDetectedFields, 2};
inline constexpr FieldDef kFailureIdFields[] = {{"id", FieldKind::kU32}};
inline constexpr MarkerDef kFailureRecoveryStart{"FAILURE", "RECOVERY_START", kFailureIdFields, 1};
inline constexpr FieldDef kFailureRecoveryCompleteFields[] = {{"id", FieldKind::kU32},
                                                              {"result", FieldKind::kId}};
inline constexpr MarkerDef kFailureRecoveryComplete{"FAILURE", "RECOVERY_COMPLETE",
                                                    kFailureRecoveryCompleteFields, 2};
inline constexpr MarkerDef kFailureTestComplete{"FAILURE", "TEST_COMPLETE", kSoakCompleteFields, 1};
// What the guest measured itself (TSC), why it judged a check failed, and each layer an error
// passed through (os/workloads/failure.cpp); the failure analyzer reads only the five above.
inline constexpr FieldDef kFailureRecoveryTimeFields[] = {
    {"id", FieldKind::kU32}, {"detect_us", FieldKind::kU64}, {"recovery_us", FieldKind::kU64}};
inline constexpr MarkerDef kFailureRecoveryTime{"FAILURE", "RECOVERY_TIME",
                                                kFailureRecoveryTimeFields, 3};
inline constexpr FieldDef kFailureCheckFailedFields[] = {{"id", FieldKind::kU32},
                                                         {"check", FieldKind::kId}};
inline constexpr MarkerDef kFailureCheckFailed{"FAILURE", "CHECK_FAILED", kFailureCheckFailedFields,
                                               2};
inline constexpr FieldDef kFailureLayerErrorFields[] = {
    {"id", FieldKind::kU32}, {"layer", FieldKind::kId}, {"error", FieldKind::kId}};
inline constexpr MarkerDef kFailureLayerError{"FAILURE", "LAYER_ERROR", kFailureLayerErrorFields,
                                              3};

// The stress scenario (os/workloads/stress.cpp; analyzed by stress/stress_analyzer).
inline constexpr FieldDef kStressStartFields[] = {{"test_type", FieldKind::kId},
                                                  {"target_level", FieldKind::kU32}};
inline constexpr MarkerDef kStressStart{"STRESS", "START", kStressStartFields, 2};
inline constexpr FieldDef kStressLoadAppliedFields[] = {
    {"level", FieldKind::kU32}, {"cpu_percent", FieldKind::kU32}, {"mem_percent", FieldKind::kU32}};
inline constexpr MarkerDef kStressLoadApplied{"STRESS", "LOAD_APPLIED", kStressLoadAppliedFields,
                                              3};
inline constexpr FieldDef kStressLatencySampleFields[] = {{"latency_us", FieldKind::kU64}};
inline constexpr MarkerDef kStressLatencySample{"STRESS", "LATENCY_SAMPLE",
                                                kStressLatencySampleFields, 1};
inline constexpr FieldDef kStressDegradationFields[] = {{"level", FieldKind::kU32},
                                                        {"latency_ratio", FieldKind::kU64}};
inline constexpr MarkerDef kStressDegradation{"STRESS", "DEGRADATION", kStressDegradationFields, 2};
inline constexpr FieldDef kStressDiskFields[] = {{"level", FieldKind::kU32},
                                                 {"iops", FieldKind::kU64},
                                                 {"verified", FieldKind::kU64},
                                                 {"errors", FieldKind::kU64}};
inline constexpr MarkerDef kStressDisk{"STRESS", "DISK", kStressDiskFields, 4};
inline constexpr FieldDef kStressCorruptionFields[] = {{"block", FieldKind::kU64},
                                                       {"check", FieldKind::kId},
                                                       {"expected_generation", FieldKind::kU32}};
inline constexpr MarkerDef kStressCorruption{"STRESS", "CORRUPTION", kStressCorruptionFields, 3};
inline constexpr FieldDef kStressIoErrorFields[] = {{"op", FieldKind::kId},
                                                    {"block", FieldKind::kU64},
                                                    {"status", FieldKind::kId},
                                                    {"attempt", FieldKind::kU32}};
inline constexpr MarkerDef kStressIoError{"STRESS", "IO_ERROR", kStressIoErrorFields, 4};
inline constexpr FieldDef kStressDiskVerifyFields[] = {{"blocks", FieldKind::kU64},
                                                       {"errors", FieldKind::kU64}};
inline constexpr MarkerDef kStressDiskVerify{"STRESS", "DISK_VERIFY", kStressDiskVerifyFields, 2};
inline constexpr MarkerDef kStressError{"STRESS", "ERROR", kReasonFields, 1};
inline constexpr MarkerDef kStressComplete{"STRESS", "COMPLETE", kSoakCompleteFields, 1};

// The diskwrite scenario (os/workloads/diskwrite.cpp): acknowledged writes the harness checks
// on the disk image after killing QEMU (inject/disk_check).
inline constexpr FieldDef kDiskStartFields[] = {{"blocks", FieldKind::kU64},
                                                {"newest_generation", FieldKind::kU32}};
inline constexpr MarkerDef kDiskStart{"DISK", "START", kDiskStartFields, 2};
inline constexpr FieldDef kDiskAckFields[] = {{"block", FieldKind::kU64},
                                              {"generation", FieldKind::kU32}};
inline constexpr MarkerDef kDiskAck{"DISK", "ACK", kDiskAckFields, 2};
inline constexpr MarkerDef kDiskIoError{"DISK", "IO_ERROR", kStressIoErrorFields, 4};
inline constexpr MarkerDef kDiskCorrupt{"DISK", "CORRUPT", kStressCorruptionFields, 3};
inline constexpr FieldDef kDiskDoneFields[] = {
    {"writes", FieldKind::kU64}, {"io_errors", FieldKind::kU64}, {"corrupt", FieldKind::kU64}};
inline constexpr MarkerDef kDiskDone{"DISK", "DONE", kDiskDoneFields, 3};
inline constexpr MarkerDef kDiskError{"DISK", "ERROR", kReasonFields, 1};

inline constexpr const MarkerDef* kAll[] = {&kBootStart,
                                            &kBootReady,
                                            &kScenarioStart,
                                            &kScenarioError,
                                            &kShellError,
                                            &kSysExit,
                                            &kSysHeartbeat,
                                            &kSysPanic,
                                            &kSysFrame,
                                            &kHelloStep,
                                            &kFloodN,
                                            &kFloodDone,
                                            &kGarbageLine,
                                            &kGarbageSummary,
                                            &kCalibrateDone,
                                            &kClockTsc,
                                            &kClockCheck,
                                            &kProcSpawn,
                                            &kProcSpawnError,
                                            &kProcExit,
                                            &kProcCrashed,
                                            &kProcKilled,
                                            &kProcLog,
                                            &kSysMetrics,
                                            &kMemError,
                                            &kMemLeak,
                                            &kIpcCorrupt,
                                            &kWorkflowSubmit,
                                            &kWorkflowReject,
                                            &kWorkflowStart,
                                            &kWorkflowComplete,
                                            &kWorkflowSkip,
                                            &kWorkflowDone,
                                            &kWorkflowStuck,
                                            &kTestStart,
                                            &kTestPass,
                                            &kTestFail,
                                            &kTestSummary,
                                            &kPerfReport,
                                            &kSoakStart,
                                            &kPerfProfileStart,
                                            &kPerfSamples,
                                            &kPerfProfileEnd,
                                            &kPerfSample,
                                            &kPerfThroughput,
                                            &kPerfMemory,
                                            &kSoakProcSummary,
                                            &kSoakComplete,
                                            &kSoakClientCreated,
                                            &kSoakClientDestroyed,
                                            &kSoakMetricsSnapshot,
                                            &kSoakCompositorSummary,
                                            &kFailureInject,
                                            &kFailureDetected,
                                            &kFailureRecoveryStart,
                                            &kFailureRecoveryComplete,
                                            &kFailureTestComplete,
                                            &kFailureRecoveryTime,
                                            &kFailureCheckFailed,
                                            &kFailureLayerError,
                                            &kStressStart,
                                            &kStressLoadApplied,
                                            &kStressLatencySample,
                                            &kStressDegradation,
                                            &kStressDisk,
                                            &kStressCorruption,
                                            &kStressIoError,
                                            &kStressDiskVerify,
                                            &kStressError,
                                            &kStressComplete,
                                            &kDiskStart,
                                            &kDiskAck,
                                            &kDiskIoError,
                                            &kDiskCorrupt,
                                            &kDiskDone,
                                            &kDiskError};
}  // namespace markers
}  // namespace rayos
