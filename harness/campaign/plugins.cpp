#include "harness/campaign/plugins.h"

namespace osh::campaign {
namespace {

template <typename Info>
const Info* find_by_name(const std::vector<Info>& list, std::string_view name) {
  for (const auto& info : list)
    if (info.name == name) return &info;
  return nullptr;
}

template <typename Info>
std::string names(const std::vector<Info>& list) {
  std::string out;
  for (const auto& info : list) out += (out.empty() ? "" : ", ") + info.name;
  return out.empty() ? "none" : out;
}

}  // namespace

const AnalyzerInfo* Plugins::analyzer(std::string_view name) const {
  return find_by_name(analyzers, name);
}
const RunHookInfo* Plugins::run_hook(std::string_view name) const {
  return find_by_name(run_hooks, name);
}
const vm::VmBackend* Plugins::backend(std::string_view name) const {
  return find_by_name(backends, name);
}
std::string Plugins::analyzer_names() const { return names(analyzers); }
std::string Plugins::backend_names() const { return names(backends); }

const MetricInfo* Plugins::metric(std::string_view name) const {
  for (const auto& m : base_metrics())
    if (metric_matches(m, name)) return &m;
  for (const auto& a : analyzers)
    for (const auto& m : a.metrics)
      if (metric_matches(m, name)) return &m;
  for (const auto& h : run_hooks)
    for (const auto& m : h.metrics)
      if (metric_matches(m, name)) return &m;
  return nullptr;
}

const std::vector<MetricInfo>& base_metrics() {
  using B = MetricInfo::Better;
  using C = MetricInfo::Clock;
  static const std::vector<MetricInfo> metrics = {
      {"boot_ms", "ms", B::Lower,
       "QEMU spawn to the BOOT:READY line, less the time QEMU waited for a host CPU",
       C::HostLessStarvation},
      {"boot_ms_raw", "ms", B::Lower, "QEMU spawn to the BOOT:READY line, wall time", C::HostWall},
      {"first_output_ms", "ms", B::Lower,
       "QEMU spawn to the first console line, less the time QEMU waited for a host CPU",
       C::HostLessStarvation},
      {"first_output_ms_raw", "ms", B::Lower, "QEMU spawn to the first console line, wall time",
       C::HostWall},
      {"duration_ms", "ms", B::Neither, "QEMU spawn to the end of the run, wall time", C::HostWall},
      {"duration_ms_less_starvation", "ms", B::Neither,
       "QEMU spawn to the end of the run, less the time QEMU waited for a host CPU",
       C::HostLessStarvation},
      {"starved_ms", "ms", B::Neither,
       "time QEMU waited for a host CPU over the run (its scheduler run delay): the host's load",
       C::HostWall},
      {"exit_code", "", B::Neither, "the guest's exit code"},
      {"heartbeats", "", B::Neither, "SYS:HEARTBEAT markers"},
      {"guest_uptime_ms", "ms", B::Neither, "uptime in the last heartbeat", C::Guest},
      {"markers.total", "", B::Neither, "valid markers"},
      {"markers.lost", "", B::Lower, "sequence numbers never seen"},
      {"markers.corrupt", "", B::Lower, "markers with a bad CRC-32C"},
      {"markers.malformed", "", B::Lower, "lines breaking the grammar or schema"},
      {"markers.noise_lines", "", B::Neither, "lines without a marker"},
      {"guest_tests.passed", "", B::Higher, "in-guest tests that passed"},
      {"guest_tests.failed", "", B::Lower, "in-guest tests that failed"},
      {"ktap.passed", "", B::Higher, "KTAP tests that passed (guest.ktap)"},
      {"ktap.failed", "", B::Lower, "KTAP tests that failed"},
      {"ktap.crashed", "", B::Lower, "KTAP tests announced by a plan that never reported"},
      {"ktap.skipped", "", B::Lower, "KTAP tests skipped"},
      {"ktap.errors", "", B::Lower, "KTAP parse errors, as kunit_tool counts them"},
      {"reruns", "", B::Lower, "reruns of a failed run (--reruns)"},
  };
  return metrics;
}

bool metric_matches(const MetricInfo& info, std::string_view name) {
  if (info.name == name) return true;
  return info.name.ends_with(".*") &&
         name.starts_with(std::string_view(info.name).substr(0, info.name.size() - 1));
}

MetricInfo::Clock clock_of(const MetricInfo& info, std::string_view name) {
  if (info.clock == MetricInfo::Clock::HostWall &&
      name.find("_less_starvation") != std::string_view::npos)
    return MetricInfo::Clock::HostLessStarvation;
  return info.clock;
}

}  // namespace osh::campaign
