#pragma once
// Everything a campaign can be extended with, in one registry that the composition root
// (plugins/builtin.cpp) fills and hands down: analyzers, run hooks, VM backends and report
// formats. harness/ never names a plug-in; it looks them up here by name.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/campaign/analyzer.h"
#include "harness/campaign/report_writer.h"
#include "harness/campaign/run_hook.h"
#include "harness/vm/backend.h"

namespace osh::campaign {

struct Plugins {
  std::vector<AnalyzerInfo> analyzers;
  std::vector<RunHookInfo> run_hooks;
  std::vector<vm::VmBackend> backends;
  std::vector<std::shared_ptr<const ReportWriter>> report_writers;  // in the order written

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
