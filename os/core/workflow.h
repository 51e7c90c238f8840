#pragma once
// A workflow: nodes with dependencies, run as a DAG. Validation is two separate checks — every
// dependency names an existing node, and there is no cycle — and the kernel refuses a workflow
// that fails either before anything runs. While it runs, a node is ready when all its
// dependencies succeeded; a failed node skips everything that depends on it, directly or not.
#include <stddef.h>
#include <stdint.h>

#include "os/core/text_buffer.h"

namespace rayos {

enum class NodeState : uint8_t { kPending, kRunning, kSucceeded, kFailed, kSkipped };

class Workflow {
 public:
  static constexpr size_t kMaxNodes = 32;
  static constexpr size_t kMaxDeps = 8;
  static constexpr uint32_t kNone = 0xffffffff;

  // Appends a node; false when the workflow is full or `count` > kMaxDeps. Dependencies are
  // taken as given (validation is separate).
  bool add_node(const uint32_t* deps, size_t count);

  // Every dependency names a node of this workflow; otherwise false with a reason like
  // `node_2_depends_on_7_of_3_nodes`.
  bool check_dependencies(TextBuffer& error) const;
  // True if the dependencies form a cycle (a node depending on itself included); `node` is then
  // a node on it. Call after check_dependencies.
  bool find_cycle(uint32_t& node) const;

  // Pending nodes whose dependencies all succeeded, lowest index first; returns how many.
  size_t ready(uint32_t* out, size_t max) const;
  // false unless the node is pending.
  bool start(uint32_t node);
  // Records a running node's outcome. A failure skips every pending node that depends on it,
  // directly or through other skipped nodes; their indices go to `skipped` (up to `max`) and
  // the total is returned. skipped_by(i) then names the failed or skipped dependency.
  size_t finish(uint32_t node, bool succeeded, uint32_t* skipped, size_t max);

  size_t node_count() const { return count_; }
  NodeState state(uint32_t node) const { return nodes_[node].state; }
  uint32_t skipped_by(uint32_t node) const { return nodes_[node].skipped_by; }
  size_t count_in(NodeState state) const;
  // Nothing pending or running.
  bool done() const;
  // Pending nodes remain but none is ready and none is running: it can never finish (only
  // possible when the cycle check was skipped).
  bool stuck() const;

 private:
  struct Node {
    uint32_t deps[kMaxDeps];
    uint8_t dep_count;
    NodeState state;
    uint32_t skipped_by;
  };
  bool is_ready(const Node& node) const;

  Node nodes_[kMaxNodes] = {};
  size_t count_ = 0;
};

}  // namespace rayos
