#include "os/kernel/scenario.h"
#include "os/workloads/workloads.h"

namespace rayos::kernel {
namespace {

constexpr const Scenario* kScenarios[] = {
    &workloads::kHello,
    &workloads::kHang,
    &workloads::kSpin,
    &workloads::kFault,
    &workloads::kOverflow,
    &workloads::kTriple,
    &workloads::kFlood,
    &workloads::kGarbage,
    &workloads::kExitCode,
    &workloads::kCalibrate,
    &workloads::kClock,
    &workloads::kSelftest,
    &workloads::kProcSoak,
    &workloads::kDiskWrite,
    &workloads::kDhcp,
    &workloads::kUdpEcho,
    &workloads::kSoak,
    &workloads::kSurfaceChurn,
    &workloads::kSustained60Fps,
    &workloads::kStress,
    &workloads::kPerf,
    &workloads::kFailureCrashes,
    &workloads::kFailureBufferExhaustion,
    &workloads::kFailureQueueOverflow,
    &workloads::kFailureMemoryCorruption,
    &workloads::kFailureDeadlock,
    &workloads::kFailureErrorChain,
    &workloads::kWpt,
    &workloads::kDesktopWorkload,
    &workloads::kThemeChange,
    &workloads::kWindowResize,
    &workloads::kClipboardStress,
    &workloads::kAppsDragDrop,
    &workloads::kIdleSurge,
    &workloads::kShutdownRecovery,
    &workloads::kLogoutUnsaved,
    &workloads::kMediaPlayback,
    &workloads::kFullscreenVideo,
    &workloads::kFuzz,
};

}  // namespace

const Scenario* find_scenario(StringView name) {
  for (const Scenario* scenario : kScenarios)
    if (scenario->name == name) return scenario;
  return nullptr;
}

}  // namespace rayos::kernel
