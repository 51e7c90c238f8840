#include "harness/cli/gate_command.h"

#include <cerrno>
#include <fstream>
#include <functional>
#include <sstream>

#include "harness/base/errors.h"
#include "reports/gate/gate.h"
#include "reports/gate/gate_junit.h"
#include "reports/gate/gate_markdown.h"

namespace osh::cli {
namespace {

// Through a temporary file and a rename, so that a reader never sees half a file.
void write_file(const std::filesystem::path& path,
                const std::function<void(std::ostream&)>& write) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InfraError(errno_message("cannot create " + tmp.string(), errno));
    write(out);
    out.flush();
    if (!out) throw InfraError(errno_message("cannot write " + tmp.string(), errno));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw InfraError("cannot write " + path.string() + ": " + ec.message());
}

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
  write_file(args.markdown, [&](std::ostream& o) { o << markdown.str(); });
  write_file(args.junit, [&](std::ostream& o) { gate::write_junit(result, o); });
  if (!args.quiet) out << markdown.str();
  return result.exit_code();
}

}  // namespace osh::cli
