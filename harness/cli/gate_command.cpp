#include "harness/cli/gate_command.h"

#include <sstream>

#include "harness/base/atomic_write.h"
#include "harness/base/errors.h"
#include "harness/base/private_files.h"
#include "reports/gate/gate.h"
#include "reports/gate/gate_junit.h"
#include "reports/gate/gate_markdown.h"

namespace osh::cli {
namespace {

gate::GateConfig config_from(const GateArgs& args) {
  gate::GateConfig config;
  if (args.config) gate::apply_config_file(config, *args.config);
  if (args.default_threshold &&
      !gate::parse_threshold(*args.default_threshold, config.default_threshold))
    throw UsageError("--default-threshold \"" + *args.default_threshold +
                     "\": expected a percentage (\"5%\"), an amount (\"2\") or \"off\"");
  for (const auto& t : args.thresholds) gate::apply_threshold_option(config, t);
  if (args.confidence) {
    gate::check_confidence(*args.confidence, "--confidence");
    config.confidence = *args.confidence;
  }
  return config;
}

}  // namespace

int gate_command(const GateArgs& args, std::ostream& out, const campaign::Plugins& plugins) {
  auto config = config_from(args);
  config.plugins = &plugins;
  const auto baseline = gate::load_sides(args.baseline);
  const auto current = gate::load_sides(args.current);
  const auto result = gate::run_gate(baseline, current, config);
  std::ostringstream markdown;
  gate::write_markdown(result, markdown);
  const auto where = [&](const std::optional<std::filesystem::path>& file, const char* name) {
    return file ? file : args.out ? std::optional(*args.out / name) : std::nullopt;
  };
  if (args.out) make_private_directory(*args.out);
  if (const auto path = where(args.markdown, "gate.md"))
    atomic_write_private(*path, markdown.view());
  if (const auto path = where(args.junit, "gate-junit.xml"))
    atomic_write_private(*path, [&](std::ostream& o) { gate::write_junit(result, o); });
  if (!args.quiet) out << markdown.str();
  return result.exit_code();
}

}  // namespace osh::cli
