// Workflows: order of execution, parallel nodes, validation, and failure propagation.
#include "os/kernel/metrics.h"
#include "os/kernel/workflow_runner.h"
#include "os/workloads/selftest/test_support.h"
#include "os/workloads/selftest/tests.h"

namespace rayos::workloads::selftest {
namespace {

using kernel::WorkflowEvent;
using kernel::WorkflowNodeSpec;
using kernel::WorkflowResult;

constinit uint32_t next_workflow = 1;

// A node process that works (sleeps) `work_ms` and exits with `code`.
WorkflowNodeSpec node(uint64_t work_ms, uint64_t code, uint32_t index) {
  return WorkflowNodeSpec{"node", {work_ms, code, index, 0}, {}, 0};
}

void depends(WorkflowNodeSpec& spec, uint32_t on) { spec.deps[spec.dep_count++] = on; }

// Where `event` of `node` happened in the run, or -1.
int position(const WorkflowResult& result, WorkflowEvent event, uint32_t node) {
  for (size_t i = 0; i < result.step_count; ++i)
    if (result.steps[i].event == event && result.steps[i].node == node) return static_cast<int>(i);
  return -1;
}

bool run(TestContext& context, const WorkflowNodeSpec* nodes, size_t count,
         WorkflowResult& result) {
  kernel::run_workflow(next_workflow++, nodes, count, Quota{}, result);
  if (!result.accepted) context.fail().add("rejected_").add(result.reason.view());
  return result.accepted;
}

// `later` started after `earlier` completed.
void expect_after(TestContext& context, const WorkflowResult& result, uint32_t later,
                  uint32_t earlier) {
  int start = position(result, WorkflowEvent::kStart, later);
  int done = position(result, WorkflowEvent::kComplete, earlier);
  if (start < 0 || done < 0 || start < done)
    context.fail()
        .add("node_")
        .add(uint64_t{later})
        .add("_started_before_node_")
        .add(uint64_t{earlier})
        .add("_completed");
}

void expect_all_succeeded(TestContext& context, const WorkflowResult& result, size_t count) {
  if (result.succeeded != count)
    context.fail()
        .add("succeeded_")
        .add(uint64_t{result.succeeded})
        .add("_of_")
        .add(uint64_t{count});
}

void workflow_linear(TestContext& context) {
  WorkflowNodeSpec nodes[] = {node(5, 0, 0), node(5, 0, 1), node(5, 0, 2)};
  depends(nodes[1], 0);
  depends(nodes[2], 1);
  WorkflowResult result;
  if (!run(context, nodes, 3, result)) return;
  expect_all_succeeded(context, result, 3);
  expect_after(context, result, 1, 0);
  expect_after(context, result, 2, 1);
}

// A -> {B, C, D}: the three run side by side (all started before any of them completed).
void workflow_parallel(TestContext& context) {
  WorkflowNodeSpec nodes[] = {node(5, 0, 0), node(30, 0, 1), node(30, 0, 2), node(30, 0, 3)};
  for (uint32_t i = 1; i < 4; ++i) depends(nodes[i], 0);
  WorkflowResult result;
  if (!run(context, nodes, 4, result)) return;
  expect_all_succeeded(context, result, 4);
  int last_start = -1, first_done = 1 << 30;
  for (uint32_t i = 1; i < 4; ++i) {
    expect_after(context, result, i, 0);
    int s = position(result, WorkflowEvent::kStart, i);
    int d = position(result, WorkflowEvent::kComplete, i);
    if (s > last_start) last_start = s;
    if (d >= 0 && d < first_done) first_done = d;
  }
  context.expect(last_start < first_done, "the_parallel_nodes_ran_one_after_another");
}

// A -> B, A -> C, {B, C} -> D.
void workflow_diamond(TestContext& context) {
  WorkflowNodeSpec nodes[] = {node(5, 0, 0), node(10, 0, 1), node(20, 0, 2), node(5, 0, 3)};
  depends(nodes[1], 0);
  depends(nodes[2], 0);
  depends(nodes[3], 1);
  depends(nodes[3], 2);
  WorkflowResult result;
  if (!run(context, nodes, 4, result)) return;
  expect_all_succeeded(context, result, 4);
  expect_after(context, result, 1, 0);
  expect_after(context, result, 2, 0);
  expect_after(context, result, 3, 1);
  expect_after(context, result, 3, 2);
}

void workflow_cycle_rejected(TestContext& context) {
  WorkflowNodeSpec nodes[] = {node(1, 0, 0), node(1, 0, 1), node(1, 0, 2)};
  depends(nodes[0], 2);
  depends(nodes[1], 0);
  depends(nodes[2], 1);
  uint64_t spawned = kernel::counters().spawned;
  WorkflowResult result;
  kernel::run_workflow(next_workflow++, nodes, 3, Quota{}, result);
  if (result.accepted) {
    context.fail().add(result.stuck ? "cycle_accepted_and_the_workflow_got_stuck"
                                    : "cycle_accepted");
    return;
  }
  context.expect(result.reason.view().starts_with("cycle_through_node_"), "wrong_reason");
  context.expect(kernel::counters().spawned == spawned, "a_node_ran_anyway");
}

void workflow_invalid_dependency_rejected(TestContext& context) {
  WorkflowNodeSpec nodes[] = {node(1, 0, 0), node(1, 0, 1)};
  depends(nodes[1], 7);
  uint64_t spawned = kernel::counters().spawned;
  WorkflowResult result;
  kernel::run_workflow(next_workflow++, nodes, 2, Quota{}, result);
  if (!context.expect(!result.accepted, "out_of_range_dependency_accepted")) return;
  if (!(result.reason.view() == "node_1_depends_on_7_of_2_nodes"))
    context.fail().add("wrong_reason=").add(result.reason.view());
  context.expect(kernel::counters().spawned == spawned, "a_node_ran_anyway");
}

// A fails -> B and C (B depends on A, C on B) are skipped and never run; D, independent, runs.
void workflow_failed_dependency_skips(TestContext& context) {
  WorkflowNodeSpec nodes[] = {node(1, 1, 0), node(1, 0, 1), node(1, 0, 2), node(1, 0, 3)};
  depends(nodes[1], 0);
  depends(nodes[2], 1);
  WorkflowResult result;
  if (!run(context, nodes, 4, result)) return;
  if (result.failed != 1 || result.skipped != 2 || result.succeeded != 1)
    context.fail()
        .add("failed_")
        .add(uint64_t{result.failed})
        .add("_skipped_")
        .add(uint64_t{result.skipped})
        .add("_succeeded_")
        .add(uint64_t{result.succeeded});
  for (uint32_t skipped = 1; skipped <= 2; ++skipped) {
    if (position(result, WorkflowEvent::kStart, skipped) >= 0)
      context.fail().add("skipped_node_").add(uint64_t{skipped}).add("_ran");
    if (position(result, WorkflowEvent::kSkip, skipped) < 0)
      context.fail().add("node_").add(uint64_t{skipped}).add("_not_skipped");
  }
}

constexpr SelfTest kTests[] = {
    {"workflow_linear", workflow_linear},
    {"workflow_parallel", workflow_parallel},
    {"workflow_diamond", workflow_diamond},
    {"workflow_cycle_rejected", workflow_cycle_rejected},
    {"workflow_invalid_dependency_rejected", workflow_invalid_dependency_rejected},
    {"workflow_failed_dependency_skips", workflow_failed_dependency_skips},
};

}  // namespace

const TestGroup kWorkflowTests{kTests, sizeof kTests / sizeof kTests[0]};

}  // namespace rayos::workloads::selftest
