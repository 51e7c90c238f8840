#include "os/kernel/workflow_runner.h"

#include "os/kernel/bugs.h"
#include "os/kernel/console.h"

namespace rayos::kernel {
namespace {

void record(WorkflowResult& result, WorkflowEvent event, uint32_t node, bool succeeded) {
  if (result.step_count < sizeof result.steps / sizeof result.steps[0])
    result.steps[result.step_count++] = WorkflowStep{event, node, succeeded};
}

bool reject(uint32_t id, WorkflowResult& result) {
  emit<markers::kWorkflowReject>(uint64_t{id}, result.reason.view());
  return false;
}

bool validate(uint32_t id, const WorkflowNodeSpec* nodes, size_t count, Workflow& workflow,
              WorkflowResult& result) {
  for (size_t i = 0; i < count; ++i) {
    if (workflow.add_node(nodes[i].deps, nodes[i].dep_count)) continue;
    result.reason.add("more_than_")
        .add(uint64_t{Workflow::kMaxNodes})
        .add("_nodes_or_")
        .add(uint64_t{Workflow::kMaxDeps})
        .add("_dependencies");
    return reject(id, result);
  }
  if (!workflow.check_dependencies(result.reason)) return reject(id, result);
  uint32_t node = 0;
  // The planted bug: the cycle check is skipped, so a cyclic workflow is admitted.
  if (!planted(kBugNoCycleCheck) && workflow.find_cycle(node)) {
    result.reason.add("cycle_through_node_").add(uint64_t{node});
    return reject(id, result);
  }
  return true;
}

void finish(uint32_t id, Workflow& workflow, uint32_t node, bool succeeded,
            WorkflowResult& result) {
  uint32_t skipped[Workflow::kMaxNodes];
  size_t n = workflow.finish(node, succeeded, skipped, Workflow::kMaxNodes);
  emit<markers::kWorkflowComplete>(uint64_t{id}, uint64_t{node},
                                   StringView(succeeded ? "succeeded" : "failed"));
  record(result, WorkflowEvent::kComplete, node, succeeded);
  for (size_t i = 0; i < n; ++i) {
    emit<markers::kWorkflowSkip>(uint64_t{id}, uint64_t{skipped[i]},
                                 uint64_t{workflow.skipped_by(skipped[i])});
    record(result, WorkflowEvent::kSkip, skipped[i], false);
  }
}

}  // namespace

void run_workflow(uint32_t id, const WorkflowNodeSpec* nodes, size_t count, const Quota& quota,
                  WorkflowResult& result) {
  Workflow workflow;
  result.accepted = validate(id, nodes, count, workflow, result);
  if (!result.accepted) return;
  emit<markers::kWorkflowSubmit>(uint64_t{id}, uint64_t{count});
  uint32_t pids[Workflow::kMaxNodes] = {};
  for (;;) {
    uint32_t ready[Workflow::kMaxNodes];
    size_t n = workflow.ready(ready, Workflow::kMaxNodes);
    for (size_t i = 0; i < n; ++i) {
      uint32_t node = ready[i];
      workflow.start(node);
      SpawnRequest request{nodes[node].image, {}, quota};
      for (int a = 0; a < 4; ++a) request.args[a] = nodes[node].args[a];
      int64_t pid = spawn(request);
      if (pid < 0) {
        finish(id, workflow, node, false, result);
        continue;
      }
      pids[node] = static_cast<uint32_t>(pid);
      emit<markers::kWorkflowStart>(uint64_t{id}, uint64_t{node}, static_cast<uint64_t>(pid));
      record(result, WorkflowEvent::kStart, node, false);
    }
    if (workflow.done()) break;
    if (workflow.stuck()) {
      result.stuck = true;
      emit<markers::kWorkflowStuck>(uint64_t{id}, uint64_t{workflow.count_in(NodeState::kPending)});
      break;
    }
    if (workflow.count_in(NodeState::kRunning) == 0) continue;  // spawn failures: look again
    uint32_t which = 0;
    ExitStatus status;
    if (!wait_child(0, UINT64_MAX, which, status)) break;  // no child left: cannot happen
    for (uint32_t node = 0; node < count; ++node) {
      if (pids[node] != which || workflow.state(node) != NodeState::kRunning) continue;
      finish(id, workflow, node, status.kind == ExitKind::kExited && status.code == 0, result);
    }
  }
  result.succeeded = workflow.count_in(NodeState::kSucceeded);
  result.failed = workflow.count_in(NodeState::kFailed);
  result.skipped = workflow.count_in(NodeState::kSkipped);
  emit<markers::kWorkflowDone>(uint64_t{id}, uint64_t{result.succeeded}, uint64_t{result.failed},
                               uint64_t{result.skipped});
}

}  // namespace rayos::kernel
