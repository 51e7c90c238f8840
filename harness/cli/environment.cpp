#include "harness/cli/environment.h"

#include "harness/base/paths.h"

namespace osh::cli {

Environment::Environment(StopSignals& signals, const campaign::Plugins& plugins) {
  env_.plugins = &plugins;
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

}  // namespace osh::cli
