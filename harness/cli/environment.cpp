#include "harness/cli/environment.h"

#include <unistd.h>

#include <algorithm>

#include "harness/base/paths.h"

namespace osh::cli {
namespace {

// Starting a VM is CPU work (QEMU's initialisation, libvirt's set-up): as many at once as there
// are CPUs keeps every core busy without making each start wait for the others (docs/vm.md).
int concurrent_starts() { return std::max<int>(2, int(::sysconf(_SC_NPROCESSORS_ONLN))); }

}  // namespace

Environment::Environment(StopSignals& signals, const campaign::Plugins& plugins)
    : start_gate_(concurrent_starts()) {
  env_.plugins = &plugins;
  env_.schema = [this](const std::string& name) -> const marker::Schema& { return schema(name); };
  env_.stop_signal = &signals.signal();
  env_.wake_fd = signals.wake_fd();
  env_.start_gate = &start_gate_;
}

const marker::Schema& Environment::schema(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& slot = schemas_[name];
  if (!slot) {
    if (name.starts_with("none:")) {
      slot = std::make_unique<marker::Schema>(marker::Schema::permissive(name.substr(5)));
    } else {
      slot = std::make_unique<marker::Schema>(marker::Schema::load(
          name == "rayos" ? install_dir() / "rayos.schema.json" : std::filesystem::path(name)));
    }
  }
  return *slot;
}

}  // namespace osh::cli
