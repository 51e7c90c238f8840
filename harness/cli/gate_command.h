#pragma once
// `osharness gate --baseline A --current B`: the pull-request gate (reports/gate/gate.h).
// Prints the Markdown to `out`, writes it and the JUnit XML where asked, and returns the exit code:
// 0 no regression and no new failure, 1 otherwise. Bad options throw osh::UsageError (64), a
// baseline or current that is not a report osh::InputError (65).
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/campaign/plugins.h"

namespace osh::cli {

struct GateArgs {
  // report.json or output folder each; several campaigns on one side are pooled.
  std::vector<std::filesystem::path> baseline, current;
  std::vector<std::string> thresholds;  // NAME=VALUE, after the config file
  std::optional<std::string> default_threshold;
  std::optional<std::filesystem::path> config;  // JSON file (docs/statistics.md)
  std::optional<double> confidence;
  // Files are written only where these say, never into the current folder unasked: --out DIR
  // gets gate.md and gate-junit.xml, --markdown and --junit name a file each (over --out's).
  std::optional<std::filesystem::path> out;
  std::optional<std::filesystem::path> markdown;
  std::optional<std::filesystem::path> junit;
  bool quiet = false;  // do not print the Markdown
};

int gate_command(const GateArgs& args, std::ostream& out, const campaign::Plugins& plugins);

}  // namespace osh::cli
