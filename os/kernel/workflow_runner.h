#pragma once
// Runs a workflow (os/core/workflow) with one process per node: validates it (out-of-range
// dependencies, cycles) and rejects it before anything runs, starts every ready node, and when a
// node's process ends — exit code 0 is success, anything else (another code, a crash, a kill, a
// failed spawn) failure — starts what became ready and skips what can no longer run. Prints
// WORKFLOW:SUBMIT/REJECT/START/COMPLETE/SKIP/DONE (and STUCK, which only a workflow admitted
// without its cycle check can reach).
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/text_buffer.h"
#include "os/core/workflow.h"
#include "os/kernel/process.h"

namespace rayos::kernel {

struct WorkflowNodeSpec {
  StringView image;
  uint64_t args[4];
  uint32_t deps[Workflow::kMaxDeps];
  size_t dep_count;
};

enum class WorkflowEvent : uint8_t { kStart, kComplete, kSkip };

struct WorkflowStep {
  WorkflowEvent event;
  uint32_t node;
  bool succeeded;  // kComplete only
};

struct WorkflowResult {
  bool accepted = false;
  TextBuffer reason;  // why it was rejected
  size_t succeeded = 0;
  size_t failed = 0;
  size_t skipped = 0;
  bool stuck = false;
  WorkflowStep steps[3 * Workflow::kMaxNodes] = {};  // in the order they happened
  size_t step_count = 0;
};

// Runs to the end; waits for the node processes (call it with no other children running).
void run_workflow(uint32_t id, const WorkflowNodeSpec* nodes, size_t count, const Quota& quota,
                  WorkflowResult& result);

}  // namespace rayos::kernel
