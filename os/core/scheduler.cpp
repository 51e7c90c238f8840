#include "os/core/scheduler.h"

namespace rayos {

void Scheduler::enqueue(uint32_t id) {
  queue_[(queue_head_ + queue_count_) % kMaxTasks] = id;
  ++queue_count_;
}

bool Scheduler::dequeue(uint32_t id) {
  for (size_t i = 0; i < queue_count_; ++i) {
    if (queue_[(queue_head_ + i) % kMaxTasks] != id) continue;
    for (size_t k = i; k + 1 < queue_count_; ++k)
      queue_[(queue_head_ + k) % kMaxTasks] = queue_[(queue_head_ + k + 1) % kMaxTasks];
    --queue_count_;
    return true;
  }
  return false;
}

bool Scheduler::add(uint32_t id) {
  if (id >= kMaxTasks || id == idle_) return false;
  if (tasks_[id].state != TaskState::kFree && tasks_[id].state != TaskState::kDead) return false;
  if (id == current_) return false;  // a dead task still on its way out of the CPU
  tasks_[id] = Task{TaskState::kReady, 0, 0};
  enqueue(id);
  return true;
}

bool Scheduler::adopt_current(uint32_t id, uint64_t now) {
  if (id >= kMaxTasks || id == idle_ || current_ != idle_) return false;
  if (tasks_[id].state != TaskState::kFree) return false;
  tasks_[idle_].cpu_ns += now - slice_start_;
  tasks_[idle_].state = TaskState::kReady;
  slice_start_ = now;
  tasks_[id] = Task{TaskState::kRunning, 0, 0};
  current_ = id;
  return true;
}

void Scheduler::wake_due(uint64_t now) {
  for (uint32_t id = 0; id < kMaxTasks; ++id) {
    if (tasks_[id].state != TaskState::kSleeping || tasks_[id].wake_at > now) continue;
    tasks_[id].state = TaskState::kReady;
    enqueue(id);
  }
}

uint32_t Scheduler::pick_next(uint64_t now) {
  wake_due(now);
  uint32_t previous = current_;
  tasks_[previous].cpu_ns += now - slice_start_;
  slice_start_ = now;
  if (tasks_[previous].state == TaskState::kRunning) {
    tasks_[previous].state = TaskState::kReady;
    if (previous != idle_) enqueue(previous);
  }
  uint32_t next = idle_;
  if (queue_count_ > 0) {
    next = queue_[queue_head_];
    queue_head_ = (queue_head_ + 1) % kMaxTasks;
    --queue_count_;
  }
  tasks_[next].state = TaskState::kRunning;
  current_ = next;
  if (next != previous) ++switches_;
  return next;
}

bool Scheduler::sleep(uint32_t id, uint64_t wake_at) {
  if (id >= kMaxTasks || id == idle_) return false;
  TaskState s = tasks_[id].state;
  if (s != TaskState::kRunning && s != TaskState::kReady) return false;
  if (s == TaskState::kReady) dequeue(id);
  tasks_[id].state = TaskState::kSleeping;
  tasks_[id].wake_at = wake_at;
  return true;
}

bool Scheduler::block(uint32_t id) {
  if (id >= kMaxTasks || id == idle_) return false;
  TaskState s = tasks_[id].state;
  if (s != TaskState::kRunning && s != TaskState::kReady) return false;
  if (s == TaskState::kReady) dequeue(id);
  tasks_[id].state = TaskState::kBlocked;
  return true;
}

bool Scheduler::wake(uint32_t id) {
  if (id >= kMaxTasks) return false;
  TaskState s = tasks_[id].state;
  if (s != TaskState::kBlocked && s != TaskState::kSleeping) return false;
  tasks_[id].state = TaskState::kReady;
  enqueue(id);
  return true;
}

bool Scheduler::kill(uint32_t id) {
  if (id >= kMaxTasks || id == idle_) return false;
  TaskState s = tasks_[id].state;
  if (s == TaskState::kFree || s == TaskState::kDead) return false;
  if (s == TaskState::kReady) dequeue(id);
  tasks_[id].state = TaskState::kDead;
  return true;
}

bool Scheduler::release(uint32_t id) {
  if (id >= kMaxTasks || id == current_ || tasks_[id].state != TaskState::kDead) return false;
  tasks_[id].state = TaskState::kFree;
  return true;
}

bool Scheduler::on_tick(uint64_t now) {
  wake_due(now);
  if (queue_count_ == 0) return false;
  if (current_ == idle_ || tasks_[current_].state != TaskState::kRunning) return true;
  return now - slice_start_ >= slice_ns_;
}

uint64_t Scheduler::cpu_ns(uint32_t id, uint64_t now) const {
  if (id >= kMaxTasks) return 0;
  return tasks_[id].cpu_ns + (id == current_ ? now - slice_start_ : 0);
}

uint64_t Scheduler::next_wake() const {
  uint64_t earliest = UINT64_MAX;
  for (const Task& t : tasks_)
    if (t.state == TaskState::kSleeping && t.wake_at < earliest) earliest = t.wake_at;
  return earliest;
}

}  // namespace rayos
