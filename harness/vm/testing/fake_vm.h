#pragma once
// A Vm that plays a script instead of booting anything: console bytes and events at given
// times after start(), then an exit, or nothing at all (a hang). It obeys control commands and
// counts them, or, when told to, silently ignores a pause. For unit tests of everything above
// the Vm seam (the runner's verdict paths, run hooks) without QEMU.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/vm/vm.h"

namespace osh::vm::testing {

struct ScriptStep {
  int64_t at_ms = 0;             // after start()
  std::string console;           // bytes on port 0
  std::optional<VmEvent> event;  // host_ns is set when delivered
  std::optional<VmExit> exit;    // the VM ends here (host_ns set when it does)
};

// What was done to a FakeVm, kept apart from it so that a test can read it after the runner
// has destroyed the VM.
struct FakeVmCounts {
  int pauses = 0, resumes = 0, resets = 0, kills = 0, shutdowns = 0;
};

struct FakeVmScript {
  std::vector<ScriptStep> steps;   // in time order
  std::string start_error;         // non-empty: start() throws InfraError with it
  int64_t run_delay_ns_per_s = 0;  // simulated host starvation, per second since start
  std::shared_ptr<FakeVmCounts> counts = std::make_shared<FakeVmCounts>();
};

class FakeVm final : public Vm {
 public:
  explicit FakeVm(FakeVmScript script = {});

  std::string_view backend() const override { return "fake"; }
  void start() override;
  void pump(std::chrono::milliseconds timeout, VmListener& listener, int wake_fd) override;
  const std::optional<VmExit>& exit() const override { return exit_; }
  int64_t spawn_ns() const override { return spawn_ns_; }
  void send_console(int port, std::string_view bytes) override;
  void pause() override;
  void resume() override;
  void reset() override { ++counts->resets; }
  nlohmann::json query_status() override;
  void kill() override;
  void shutdown(std::chrono::milliseconds grace) override;
  CpuUsage cpu_usage() const override;
  Accelerator accelerator() const override { return {"tcg", "fake"}; }
  std::vector<std::string> command_line() const override { return {"fake-vm"}; }
  // The network_links() capability, offered when `nics` is not empty. Calls are recorded in
  // `network_calls` as "net0 link down", "net0 link up", "net0 cut", "net0 joined".
  NetworkLinks* network_links() override { return nics.empty() ? nullptr : &links_; }
  // The screen() capability, offered when `screendump` is set: it writes the picture.
  Screen* screen() override { return screendump ? &screen_ : nullptr; }

  bool ignore_pause = false;  // pause() "succeeds" without pausing
  bool running = true;
  std::shared_ptr<FakeVmCounts> counts;
  std::string console_input;  // what send_console() was given
  std::vector<Nic> nics;
  std::vector<std::string> network_calls;
  std::function<void(const std::filesystem::path& png)> screendump;

 private:
  class Links final : public NetworkLinks {
   public:
    explicit Links(FakeVm& vm) : vm_(vm) {}
    const std::vector<Nic>& nics() const override { return vm_.nics; }
    void set_link(const std::string& nic, bool up) override {
      vm_.network_calls.push_back(nic + (up ? " link up" : " link down"));
    }
    void set_partitioned(const std::string& nic, bool cut) override {
      vm_.network_calls.push_back(nic + (cut ? " cut" : " joined"));
    }

   private:
    FakeVm& vm_;
  };
  class FakeScreen final : public Screen {
   public:
    explicit FakeScreen(FakeVm& vm) : vm_(vm) {}
    void screendump(const std::filesystem::path& png) override { vm_.screendump(png); }

   private:
    FakeVm& vm_;
  };

  void end(VmExit exit);

  Links links_{*this};
  FakeScreen screen_{*this};

  FakeVmScript script_;
  size_t next_ = 0;
  int64_t spawn_ns_ = 0;
  std::optional<VmExit> exit_;
};

// An exit as QEMU reports a guest's isa-debug-exit write of `code`.
VmExit guest_exit(int code);

}  // namespace osh::vm::testing
