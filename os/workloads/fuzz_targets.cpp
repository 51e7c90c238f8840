#include "os/workloads/fuzz_targets.h"

#include "os/core/bug_knobs.h"
#include "os/core/cmdline.h"
#include "os/core/params.h"
#include "os/kernel/bugs.h"
#include "os/kernel/scenario.h"

namespace rayos::workloads {
namespace {

// cmdline: the kernel command line and the shell's `run` lines (os/core/cmdline.cpp), and each
// request's parameters checked against the scenario it names (os/core/params.cpp), as the
// kernel does with the line QEMU passes it.
constexpr StringView kCmdlineWords[] = {
    "osh.scenario=", "osh.seed=",  "osh.bug=", "run ",    "metrics", "virtio_mmio.device=",
    "leak_on_exit",  "no_preempt", ",",        "=",       " ",       "18446744073709551615",
    "flood",         "stress",     "type=",    "levels=", "count=",
};
constexpr StringView kCmdlineSeeds[] = {
    "osh.scenario=flood osh.seed=42 count=1000",
    "run stress type=cpu levels=10,50 osh.bug=no_preempt",
    "osh.scenario=hello virtio_mmio.device=512@0xfeb00000:12 osh.seed=7 x=1",
    "metrics",
};

void check_params(const RunRequest& request) {
  const kernel::Scenario* scenario = kernel::find_scenario(request.scenario);
  if (scenario == nullptr) return;
  uint64_t values[kernel::kMaxScenarioParams];
  TextBuffer error;
  resolve_params(scenario->params, scenario->param_count, request.params, request.param_count,
                 values, error);
}

void run_cmdline(const uint8_t* data, size_t size) {
  const StringView text(reinterpret_cast<const char*>(data), size);
  const uint32_t planted =
      kernel::planted(kBugCmdlineSeedOffByOne) ? uint32_t{kBugCmdlineSeedOffByOne} : 0u;
  RunRequest request;
  TextBuffer error;
  if (parse_cmdline(text, request, error, planted)) check_params(request);
  error.clear();
  if (parse_shell_line(text, 1, request, error, planted) == ShellLine::kRun) check_params(request);
}

}  // namespace

const StringView kFuzzTargetNames[kFuzzTargetCount] = {"cmdline"};

const FuzzTarget kFuzzTargets[kFuzzTargetCount] = {
    {"cmdline",
     {kCmdlineWords, sizeof kCmdlineWords / sizeof kCmdlineWords[0]},
     kCmdlineSeeds,
     sizeof kCmdlineSeeds / sizeof kCmdlineSeeds[0],
     run_cmdline},
};

}  // namespace rayos::workloads
