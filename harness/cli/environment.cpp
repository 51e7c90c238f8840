#include "harness/cli/environment.h"

#include "harness/base/paths.h"
#include "harness/vm/qemu/accel_probe.h"
#include "harness/vm/qemu/qemu_vm.h"

namespace osh::cli {

Environment::Environment(StopSignals& signals) {
  env_.make_vm = [](const vm::VmConfig& config) -> std::unique_ptr<vm::Vm> {
    return std::make_unique<vm::qemu::QemuVm>(config);
  };
  env_.choose_accel = [this](const std::string& requested) { return accel(requested); };
  env_.schema = [this](const std::string& name) -> const marker::Schema& { return schema(name); };
  env_.stop_signal = &signals.signal();
  env_.wake_fd = signals.wake_fd();
}

const marker::Schema& Environment::schema(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& slot = schemas_[name];
  if (!slot) {
    if (name == "none") {
      slot = std::make_unique<marker::Schema>(marker::Schema::permissive("RAYOS"));
    } else {
      slot = std::make_unique<marker::Schema>(marker::Schema::load(
          name == "rayos" ? install_dir() / "rayos.schema.json" : std::filesystem::path(name)));
    }
  }
  return *slot;
}

campaign::AccelChoice Environment::accel(const std::string& requested) {
  if (requested == "tcg") return {vm::Accel::Tcg, "tcg, as the spec asks"};
  if (requested == "kvm") return {vm::Accel::Kvm, "kvm, as the spec asks"};
  // Measured once per process (and cached per host boot by the probe itself).
  std::lock_guard lock(mutex_);
  if (!measured_) {
    const auto probe = vm::qemu::choose_accel(vm::qemu::default_accel_probe_options());
    measured_ = campaign::AccelChoice{probe.chosen, probe.reason};
  }
  return *measured_;
}

}  // namespace osh::cli
