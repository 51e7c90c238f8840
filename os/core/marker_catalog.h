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

inline constexpr const MarkerDef* kAll[] = {
    &kBootStart,    &kBootReady,      &kScenarioStart, &kScenarioError, &kShellError, &kSysExit,
    &kSysHeartbeat, &kSysPanic,       &kSysFrame,      &kHelloStep,     &kFloodN,     &kFloodDone,
    &kGarbageLine,  &kGarbageSummary, &kCalibrateDone, &kClockTsc,      &kClockCheck};

}  // namespace markers
}  // namespace rayos
