#pragma once
// The scenarios, one per file in this folder; kernel/scenario_registry.cpp lists them.
#include "os/kernel/scenario.h"

namespace rayos::workloads {

extern const kernel::Scenario kHello;
extern const kernel::Scenario kHang;
extern const kernel::Scenario kSpin;
extern const kernel::Scenario kFault;
extern const kernel::Scenario kOverflow;
extern const kernel::Scenario kTriple;
extern const kernel::Scenario kFlood;
extern const kernel::Scenario kGarbage;
extern const kernel::Scenario kExitCode;
extern const kernel::Scenario kCalibrate;
extern const kernel::Scenario kClock;
extern const kernel::Scenario kSelftest;
extern const kernel::Scenario kProcSoak;
extern const kernel::Scenario kDiskWrite;
extern const kernel::Scenario kDhcp;
extern const kernel::Scenario kUdpEcho;
extern const kernel::Scenario kSoak;
extern const kernel::Scenario kSurfaceChurn;
extern const kernel::Scenario kSustained60Fps;
extern const kernel::Scenario kStress;
extern const kernel::Scenario kPerf;
extern const kernel::Scenario kFailureCrashes;
extern const kernel::Scenario kFailureBufferExhaustion;
extern const kernel::Scenario kFailureQueueOverflow;
extern const kernel::Scenario kFailureMemoryCorruption;
extern const kernel::Scenario kFailureDeadlock;
extern const kernel::Scenario kFailureErrorChain;
extern const kernel::Scenario kWpt;
// Integration scenarios (docs/e2e.md).
extern const kernel::Scenario kDesktopWorkload;
extern const kernel::Scenario kThemeChange;
extern const kernel::Scenario kWindowResize;
extern const kernel::Scenario kShutdownRecovery;
extern const kernel::Scenario kLogoutUnsaved;
extern const kernel::Scenario kMediaPlayback;
extern const kernel::Scenario kFullscreenVideo;
extern const kernel::Scenario kClipboardStress;
extern const kernel::Scenario kAppsDragDrop;
extern const kernel::Scenario kIdleSurge;
extern const kernel::Scenario kFuzz;

}  // namespace rayos::workloads
