#include "harness/campaign/analyzer.h"
#include "inject/failure_analyzer.h"
#include "perf/perf_analyzer.h"
#include "soak/soak_analyzer.h"
#include "stress/stress_analyzer.h"

namespace osh::campaign {

const std::vector<AnalyzerInfo>& analyzer_registry() {
  // One entry per campaign kind; each module (soak/, stress/, ...) provides its factory.
  static const std::vector<AnalyzerInfo> registry = {
      soak::soak_analyzer_info(),
      stress::stress_analyzer_info(),
      inject::FailureAnalyzer::info(),
      perf::perf_analyzer_info(),
  };
  return registry;
}

const AnalyzerInfo* find_analyzer(std::string_view name) {
  for (const auto& info : analyzer_registry())
    if (info.name == name) return &info;
  return nullptr;
}

const std::vector<MetricInfo>& base_metrics() {
  using B = MetricInfo::Better;
  static const std::vector<MetricInfo> metrics = {
      {"boot_ms", "ms", B::Lower, "QEMU spawn to the BOOT:READY line"},
      {"first_output_ms", "ms", B::Lower, "QEMU spawn to the first console line"},
      {"duration_ms", "ms", B::Neither, "QEMU spawn to the end of the run"},
      {"exit_code", "", B::Neither, "the guest's exit code"},
      {"heartbeats", "", B::Neither, "SYS:HEARTBEAT markers"},
      {"guest_uptime_ms", "ms", B::Neither, "uptime in the last heartbeat"},
      {"markers.total", "", B::Neither, "valid markers"},
      {"markers.lost", "", B::Lower, "sequence numbers never seen"},
      {"markers.corrupt", "", B::Lower, "markers with a bad CRC-32C"},
      {"markers.malformed", "", B::Lower, "lines breaking the grammar or schema"},
      {"markers.noise_lines", "", B::Neither, "lines without a marker"},
      {"guest_tests.passed", "", B::Higher, "in-guest tests that passed"},
      {"guest_tests.failed", "", B::Lower, "in-guest tests that failed"},
      {"reruns", "", B::Lower, "reruns of a failed run (--reruns)"},
  };
  return metrics;
}

bool metric_matches(const MetricInfo& info, std::string_view name) {
  if (info.name == name) return true;
  return info.name.ends_with(".*") &&
         name.starts_with(std::string_view(info.name).substr(0, info.name.size() - 1));
}

const MetricInfo* find_metric(std::string_view name) {
  for (const auto& m : base_metrics())
    if (metric_matches(m, name)) return &m;
  for (const auto& a : analyzer_registry())
    for (const auto& m : a.metrics)
      if (metric_matches(m, name)) return &m;
  return nullptr;
}

}  // namespace osh::campaign
