#include "harness/campaign/analyzer.h"

namespace osh::campaign {

const std::vector<AnalyzerInfo>& analyzer_registry() {
  // One entry per campaign kind; each module (soak/, stress/, ...) provides its factory.
  static const std::vector<AnalyzerInfo> registry = {};
  return registry;
}

const AnalyzerInfo* find_analyzer(std::string_view name) {
  for (const auto& info : analyzer_registry())
    if (info.name == name) return &info;
  return nullptr;
}

const std::vector<std::string>& base_metrics() {
  static const std::vector<std::string> metrics = {
      "boot_ms",          "first_output_ms",       "duration_ms",           "exit_code",
      "heartbeats",       "guest_uptime_ms",       "markers.total",         "markers.lost",
      "markers.corrupt",  "markers.malformed",     "markers.noise_lines",   "guest_tests.passed",
      "guest_tests.failed"};
  return metrics;
}

}  // namespace osh::campaign
