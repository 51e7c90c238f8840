#pragma once
// At most N VMs of a campaign starting at once. Booting QEMU (and libvirt's set-up of a domain)
// is CPU work: 64 VMs started together on 2 cores all start slowly, miss their start-up
// timeouts, and their boot times measure the crowd instead of the guest. Runs wait here before
// their VM is spawned, so the wait is not part of their boot time.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

namespace osh::campaign {

class StartGate {
 public:
  explicit StartGate(int slots) : free_(slots) {}

  // Holds a slot while it lives.
  class Slot {
   public:
    explicit Slot(StartGate* gate) : gate_(gate) {}
    Slot(Slot&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (gate_) gate_->leave();
    }

   private:
    StartGate* gate_;
  };

  // Waits for a free slot. Returns an empty slot (holding nothing) as soon as `stop` is set, so
  // that a campaign told to stop does not wait for other VMs' start-ups.
  Slot enter(const std::atomic<int>* stop) {
    std::unique_lock lock(mutex_);
    while (free_ == 0) {
      if (stop && stop->load() != 0) return Slot(nullptr);
      freed_.wait_for(lock, std::chrono::milliseconds(50));
    }
    --free_;
    return Slot(this);
  }

 private:
  void leave() {
    std::lock_guard lock(mutex_);
    ++free_;
    freed_.notify_one();
  }

  std::mutex mutex_;
  std::condition_variable freed_;
  int free_;
};

}  // namespace osh::campaign
