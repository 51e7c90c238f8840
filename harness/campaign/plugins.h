#pragma once
// Everything a campaign can be extended with, in one registry that the composition root
// (plugins/builtin.cpp) fills and hands down: analyzers, run hooks, VM backends, report formats,
// report.html panels and CLI commands. harness/ never names a plug-in; it looks them up here by
// name.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/campaign/analyzer.h"
#include "harness/campaign/report_panel.h"
#include "harness/campaign/report_writer.h"
#include "harness/campaign/run_hook.h"
#include "harness/vm/backend.h"

namespace osh::campaign {

// `osharness <name> ...`: a plug-in's own command. `run` gets the arguments after the name and
// returns the exit code; it parses them itself and may throw osh::UsageError / InputError /
// InfraError like the built-in commands.
struct CommandInfo {
  std::string name;
  std::string description;
  std::function<int(const std::vector<std::string>& args)> run;
};

struct Plugins {
  std::vector<AnalyzerInfo> analyzers;
  std::vector<RunHookInfo> run_hooks;
  std::vector<vm::VmBackend> backends;
  std::vector<std::shared_ptr<const ReportWriter>> report_writers;  // in the order written
  std::vector<ReportPanelMaker> report_panels;  // campaign-wide sections of report.html
  std::vector<CommandInfo> commands;

  const AnalyzerInfo* analyzer(std::string_view name) const;
  const RunHookInfo* run_hook(std::string_view name) const;
  const vm::VmBackend* backend(std::string_view name) const;
  // A base metric or one an analyzer or run hook declares (null if none does).
  const MetricInfo* metric(std::string_view name) const;
  // "soak, stress" (for messages listing what exists).
  std::string analyzer_names() const;
  std::string backend_names() const;
};

}  // namespace osh::campaign
