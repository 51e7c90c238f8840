#pragma once
// Small helpers shared by the VM backend's tests.
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/clock.h"
#include "harness/base/testing/temp_dir.h"
#include "harness/vm/vm.h"

namespace osh::vm::qemu::testing {

// Keeps what a VM delivered.
class Recorder : public VmListener {
 public:
  void on_console(int port, std::string_view bytes, int64_t host_ns) override {
    if (port != 0 || bytes.empty()) bad_deliveries++;
    if (console.empty()) first_byte_ns = host_ns;
    console.append(bytes);
  }
  void on_vm_event(const VmEvent& event) override { events.push_back(event); }

  std::vector<std::string> event_names() const {
    std::vector<std::string> names;
    for (const auto& event : events) names.push_back(event.name);
    return names;
  }
  std::string console;
  int64_t first_byte_ns = 0;
  int bad_deliveries = 0;  // bytes of another port, or an empty delivery
  std::vector<VmEvent> events;
};

// Pumps until the VM exits (or `limit` passes).
inline void run_to_exit(Vm& vm, Recorder& recorder, std::chrono::milliseconds limit) {
  const int64_t deadline = monotonic_ns() + int64_t(limit.count()) * 1'000'000;
  while (!vm.exit() && monotonic_ns() < deadline)
    vm.pump(std::chrono::milliseconds(100), recorder, -1);
}

// Pumps until the console holds `text` (or `limit` passes).
inline bool wait_for_console(Vm& vm, Recorder& recorder, std::string_view text,
                             std::chrono::milliseconds limit) {
  const int64_t deadline = monotonic_ns() + int64_t(limit.count()) * 1'000'000;
  while (recorder.console.find(text) == std::string::npos && !vm.exit() &&
         monotonic_ns() < deadline) {
    vm.pump(std::chrono::milliseconds(100), recorder, -1);
  }
  return recorder.console.find(text) != std::string::npos;
}

// Sets (value != nullptr) or unsets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? ::setenv(name, value, 1) : ::unsetenv(name);
  }
  ~ScopedEnv() { old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

using TempDir = osh::test_support::TempDir;

}  // namespace osh::vm::qemu::testing
