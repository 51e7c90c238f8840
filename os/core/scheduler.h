#pragma once
// The scheduling policy, without the context switch: round robin over ready tasks with a fixed
// time slice, sleepers woken by time, blocked tasks woken by events, an idle task that runs only
// when nothing else can, and CPU time charged to whichever task held the CPU. The kernel asks
// pick_next() whom to run and does the switch itself; on_tick() says when a slice is used up.
#include <stddef.h>
#include <stdint.h>

namespace rayos {

enum class TaskState : uint8_t { kFree, kReady, kRunning, kSleeping, kBlocked, kDead };

class Scheduler {
 public:
  static constexpr size_t kMaxTasks = 80;  // 64 soak clients + boot + idle + headroom
  static constexpr uint32_t kNoTask = 0xffffffff;

  // `idle` is the task that runs when no other can; it is running from the start.
  constexpr Scheduler(uint32_t idle, uint64_t slice_ns, uint64_t now)
      : idle_(idle < kMaxTasks ? idle : 0),
        current_(idle_),
        slice_ns_(slice_ns),
        slice_start_(now) {
    tasks_[idle_].state = TaskState::kRunning;
  }

  // A task becomes ready (at the back of the queue). False if the id is out of range or the slot
  // is in use (not kFree or kDead).
  bool add(uint32_t id);
  // Makes `id` the running task without a switch: the task that was running when the scheduler
  // started (the kernel's boot flow). False unless the idle task is current and `id` is free.
  bool adopt_current(uint32_t id, uint64_t now);

  // Chooses the task to run next. A running current task goes to the back of the queue (a
  // yield, or a preemption); a current task that slept, blocked or died does not. Charges the
  // CPU time since the last switch to the outgoing task.
  uint32_t pick_next(uint64_t now);

  // State changes for the current task or any other; each returns false if `id` is not in a
  // state it applies to. The caller then calls pick_next() if `id` was the current task.
  bool sleep(uint32_t id, uint64_t wake_at);  // running or ready -> sleeping
  bool block(uint32_t id);                    // running or ready -> blocked
  bool wake(uint32_t id);                     // blocked or sleeping -> ready
  bool kill(uint32_t id);                     // any live state -> dead (off every queue)
  bool release(uint32_t id);                  // dead -> free (the slot can be reused)

  // Timer tick: wakes sleepers that are due; true when the current task should be switched out:
  // its slice is over and another task is ready, or the idle task runs and one became ready.
  bool on_tick(uint64_t now);
  // Wakes sleepers that are due (also done by pick_next and on_tick).
  void wake_due(uint64_t now);

  uint32_t current() const { return current_; }
  uint32_t idle() const { return idle_; }
  TaskState state(uint32_t id) const {
    return id < kMaxTasks ? tasks_[id].state : TaskState::kFree;
  }
  size_t ready_count() const { return queue_count_; }
  // CPU time of a task; for the current one, up to `now`.
  uint64_t cpu_ns(uint32_t id, uint64_t now) const;
  uint64_t context_switches() const { return switches_; }
  // Sleeping tasks; the earliest wake-up time, or UINT64_MAX.
  uint64_t next_wake() const;

 private:
  struct Task {
    TaskState state;
    uint64_t wake_at;
    uint64_t cpu_ns;
  };
  void enqueue(uint32_t id);
  bool dequeue(uint32_t id);  // removes `id` wherever it is in the queue

  Task tasks_[kMaxTasks] = {};
  uint32_t queue_[kMaxTasks] = {};
  size_t queue_head_ = 0;
  size_t queue_count_ = 0;
  uint32_t idle_;
  uint32_t current_;
  uint64_t slice_ns_;
  uint64_t slice_start_;
  uint64_t switches_ = 0;
};

}  // namespace rayos
