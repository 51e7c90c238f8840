#include "os/core/workflow.h"

namespace rayos {

bool Workflow::add_node(const uint32_t* deps, size_t count) {
  if (count_ == kMaxNodes || count > kMaxDeps || (count > 0 && deps == nullptr)) return false;
  Node& node = nodes_[count_++];
  for (size_t i = 0; i < count; ++i) node.deps[i] = deps[i];
  node.dep_count = static_cast<uint8_t>(count);
  node.state = NodeState::kPending;
  node.skipped_by = kNone;
  return true;
}

bool Workflow::check_dependencies(TextBuffer& error) const {
  for (size_t i = 0; i < count_; ++i) {
    for (size_t d = 0; d < nodes_[i].dep_count; ++d) {
      if (nodes_[i].deps[d] < count_) continue;
      error.add("node_")
          .add(uint64_t{i})
          .add("_depends_on_")
          .add(uint64_t{nodes_[i].deps[d]})
          .add("_of_")
          .add(uint64_t{count_})
          .add("_nodes");
      return false;
    }
  }
  return true;
}

bool Workflow::find_cycle(uint32_t& node) const {
  // Kahn's algorithm over "depends on" edges: repeatedly remove nodes whose dependencies are all
  // removed. Whatever remains sits on a cycle or depends on one. No recursion: kernel stacks are
  // small.
  bool removed[kMaxNodes] = {};
  size_t left = count_;
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < count_; ++i) {
      if (removed[i]) continue;
      bool free = true;
      for (size_t d = 0; d < nodes_[i].dep_count && free; ++d) {
        uint32_t dep = nodes_[i].deps[d];
        free = dep < count_ && removed[dep];
      }
      if (!free) continue;
      removed[i] = true;
      --left;
      progress = true;
    }
  }
  if (left == 0) return false;
  // From any remaining node, following remaining dependencies count_ times must end on a cycle.
  uint32_t at = 0;
  while (removed[at]) ++at;
  for (size_t step = 0; step < count_; ++step) {
    const Node& n = nodes_[at];
    for (size_t d = 0; d < n.dep_count; ++d) {
      if (n.deps[d] < count_ && !removed[n.deps[d]]) {
        at = n.deps[d];
        break;
      }
    }
  }
  node = at;
  return true;
}

bool Workflow::is_ready(const Node& node) const {
  if (node.state != NodeState::kPending) return false;
  for (size_t d = 0; d < node.dep_count; ++d)
    if (node.deps[d] >= count_ || nodes_[node.deps[d]].state != NodeState::kSucceeded) return false;
  return true;
}

size_t Workflow::ready(uint32_t* out, size_t max) const {
  size_t n = 0;
  for (size_t i = 0; i < count_ && n < max; ++i)
    if (is_ready(nodes_[i])) out[n++] = static_cast<uint32_t>(i);
  return n;
}

bool Workflow::start(uint32_t node) {
  if (node >= count_ || nodes_[node].state != NodeState::kPending) return false;
  nodes_[node].state = NodeState::kRunning;
  return true;
}

size_t Workflow::finish(uint32_t node, bool succeeded, uint32_t* skipped, size_t max) {
  if (node >= count_ || nodes_[node].state != NodeState::kRunning) return 0;
  nodes_[node].state = succeeded ? NodeState::kSucceeded : NodeState::kFailed;
  if (succeeded) return 0;
  size_t total = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < count_; ++i) {
      Node& n = nodes_[i];
      if (n.state != NodeState::kPending) continue;
      for (size_t d = 0; d < n.dep_count; ++d) {
        uint32_t dep = n.deps[d];
        if (dep >= count_) continue;
        NodeState s = nodes_[dep].state;
        if (s != NodeState::kFailed && s != NodeState::kSkipped) continue;
        n.state = NodeState::kSkipped;
        n.skipped_by = dep;
        if (total < max && skipped != nullptr) skipped[total] = static_cast<uint32_t>(i);
        ++total;
        changed = true;
        break;
      }
    }
  }
  return total;
}

size_t Workflow::count_in(NodeState state) const {
  size_t n = 0;
  for (size_t i = 0; i < count_; ++i) n += nodes_[i].state == state;
  return n;
}

bool Workflow::done() const {
  return count_in(NodeState::kPending) == 0 && count_in(NodeState::kRunning) == 0;
}

bool Workflow::stuck() const {
  uint32_t any;
  return count_in(NodeState::kPending) > 0 && count_in(NodeState::kRunning) == 0 &&
         ready(&any, 1) == 0;
}

}  // namespace rayos
