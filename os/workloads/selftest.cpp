// selftest: the in-guest tests (os/workloads/selftest/), then a check that the whole run gave
// back every page, heap block and queue, the kernel's counters and its leak report. Exits 0
// when every test passed, 1 otherwise.
#include "os/kernel/selftest.h"

#include "os/kernel/clock.h"
#include "os/kernel/memory.h"
#include "os/kernel/metrics.h"
#include "os/kernel/process.h"
#include "os/workloads/selftest/test_support.h"
#include "os/workloads/selftest/tests.h"
#include "os/workloads/workloads.h"

namespace rayos::workloads {
namespace {

constinit selftest::MemorySnapshot at_start{};

void whole_run_no_leak(kernel::TestContext& context) {
  selftest::expect_no_leak(context, at_start, "over_the_whole_run");
}

constexpr kernel::SelfTest kFinalTests[] = {{"whole_run_no_leak", whole_run_no_leak}};

uint32_t run(const kernel::ScenarioContext&) {
  // The spawn and switch timings need the calibrated TSC (100 ticks after boot).
  kernel::wait_for_tsc_calibration();
  kernel::process_init();
  at_start = selftest::memory_snapshot();
  kernel::TestRunner runner;
  const selftest::TestGroup* groups[] = {&selftest::kMemoryTests, &selftest::kProcessTests,
                                         &selftest::kIpcTests, &selftest::kWorkflowTests};
  for (const selftest::TestGroup* group : groups) runner.run(group->tests, group->count);
  runner.run(kFinalTests, 1);
  kernel::emit_metrics();
  kernel::report_heap_leaks(UINT32_MAX);  // every owner: nothing should be left
  return runner.finish() == 0 ? 0 : 1;
}

}  // namespace

const kernel::Scenario kSelftest = kernel::make_scenario("selftest", run);

}  // namespace rayos::workloads
