#pragma once
// `osharness repro <bundle.json> [--runs N]`: reruns a failed run from its bundle (same spec, seed
// and guest image) N times and says how often the same failure (verdict and signature) came back;
// the rate goes to reproduction.json beside the bundle and in the rerun's folder. Exit 0 when
// every rerun reproduced it, 1 when one ended differently, 69 when none could run. With --pack,
// writes the bundle and its guest images into one file that `repro FILE` unpacks and reruns.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/campaign/plugins.h"

namespace osh::cli {

struct ReproArgs {
  std::filesystem::path bundle;
  std::optional<std::filesystem::path> out;
  int runs = 1;  // reruns of the seed: the reproduction rate is k of runs
  int jobs = 1;
  bool replay = false;  // replay the recording beside the bundle instead of rerunning the seed
  bool quiet = false;
  bool trust = false;  // run the bundle's QEMU arguments beyond the harness's own
  bool pack = false;   // write a portable pack of the bundle to `output` instead of rerunning
  std::optional<std::filesystem::path> output;
  std::vector<std::string> argv;
};

int repro_command(const ReproArgs& args, const campaign::Plugins& plugins);

}  // namespace osh::cli
