#pragma once
// `osharness repro <bundle.json>`: reruns a failed run from its bundle (same spec, seed and
// guest image) and says whether the same failure signature came back. Exit 0 when it did,
// 1 when the rerun ended differently, 69 when the rerun could not run.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/plugins.h"

namespace osh::cli {

struct ReproArgs {
  std::filesystem::path bundle;
  std::optional<std::filesystem::path> out;
  bool quiet = false;
  bool trust = false;  // run the bundle's QEMU arguments beyond the harness's own
  std::vector<std::string> argv;
};

int repro_command(const ReproArgs& args, const campaign::Plugins& plugins);

}  // namespace osh::cli
