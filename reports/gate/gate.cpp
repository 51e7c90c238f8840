#include "reports/gate/gate.h"

#include <cmath>
#include <map>
#include <set>

#include "reports/report_format.h"

namespace osh::gate {
namespace {

using campaign::Verdict;

struct SpecData {
  std::vector<const GateRun*> runs;
  std::map<std::string, std::vector<double>> values;   // metric -> one value per run
  std::map<std::string, std::string> histogram_units;  // derived metric -> unit
  std::map<std::string, stats::NamedHistogram> pooled;
};

std::string percentile_suffix(double p) { return ".p" + reports::number(p); }

std::map<std::string, SpecData> group_by_spec(const GateSide& side,
                                              std::vector<std::string>& order) {
  std::map<std::string, SpecData> out;
  for (const auto& run : side.runs) {
    const auto& r = run.result;
    if (!out.contains(r.name)) order.push_back(r.name);
    auto& d = out[r.name];
    d.runs.push_back(&run);
    if (!contributes_metrics(r.verdict)) continue;
    for (const auto& [metric, value] : r.metrics)
      if (std::isfinite(value)) d.values[metric].push_back(value);
    for (const auto& [name, h] : run.histograms) {
      if (h.histogram.count() == 0) continue;
      for (const double p : kHistogramPercentiles) {
        const auto metric = name + percentile_suffix(p);
        if (r.metrics.contains(metric)) continue;  // the analyzer's own figure wins
        d.values[metric].push_back(static_cast<double>(h.histogram.value_at_percentile(p)));
        d.histogram_units[metric] = h.unit;
      }
      if (const auto it = d.pooled.find(name); it != d.pooled.end())
        it->second.histogram.merge(h.histogram);
      else
        d.pooled.emplace(name, h);
    }
  }
  return out;
}

SpecVerdicts verdicts_of(const std::string& spec, const SpecData& baseline,
                         const SpecData& current) {
  SpecVerdicts v;
  v.spec = spec;
  v.baseline_runs = baseline.runs.size();
  v.current_runs = current.runs.size();
  for (const auto* run : baseline.runs) v.baseline_failed += run->result.verdict != Verdict::Pass;
  for (const auto* run : current.runs) {
    const auto& r = run->result;
    if (r.verdict != Verdict::Pass)
      v.current_failed.push_back({r.index, r.seed, r.verdict, r.reason});
  }
  return v;
}

void compare_spec(const std::string& spec, const SpecData& baseline, const SpecData& current,
                  const GateConfig& config, GateResult& result) {
  std::set<std::string> metrics;
  for (const auto& [m, _] : baseline.values) metrics.insert(m);
  for (const auto& [m, _] : current.values) metrics.insert(m);
  for (const auto& metric : metrics) {
    const auto b = baseline.values.find(metric);
    const auto c = current.values.find(metric);
    if (b == baseline.values.end() || c == current.values.end()) {
      result.notes.push_back(spec + ": " + metric + " measured only in " +
                             (b == baseline.values.end() ? "current" : "baseline"));
      continue;
    }
    MetricInput in{spec, metric, "", campaign::MetricInfo::Better::Neither, b->second, c->second};
    static const campaign::Plugins kBaseOnly;
    if (const auto* info = (config.plugins ? *config.plugins : kBaseOnly).metric(metric)) {
      in.unit = info->unit;
      in.better = info->better;
    } else {
      for (const auto* side : {&current, &baseline})
        if (const auto u = side->histogram_units.find(metric); u != side->histogram_units.end())
          in.unit = u->second;
    }
    result.comparisons.push_back(
        compare_metric(std::move(in), config.threshold_for(metric), config.confidence));
  }
  for (const auto& [name, b] : baseline.pooled)
    if (const auto c = current.pooled.find(name); c != current.pooled.end())
      result.distributions.push_back({spec, name, b.unit, b.histogram, c->second.histogram});
}

}  // namespace

bool contributes_metrics(Verdict verdict) {
  return verdict == Verdict::Pass || verdict == Verdict::Fail || verdict == Verdict::Flaky;
}

size_t GateResult::count(Change change) const {
  size_t n = 0;
  for (const auto& c : comparisons) n += c.change == change;
  return n;
}

size_t GateResult::new_failures() const {
  size_t n = 0;
  for (const auto& v : verdicts) n += v.new_failure();
  return n;
}

GateResult run_gate(const GateSide& baseline, const GateSide& current, const GateConfig& config) {
  GateResult result;
  result.baseline_origin = baseline.origin;
  result.current_origin = current.origin;
  result.baseline_runs = baseline.runs.size();
  result.current_runs = current.runs.size();
  result.config = config;
  for (const auto* side : {&baseline, &current})
    for (const auto& w : side->warnings) result.notes.push_back(w);

  std::vector<std::string> baseline_order, current_order;
  const auto b = group_by_spec(baseline, baseline_order);
  const auto c = group_by_spec(current, current_order);
  for (const auto& spec : baseline_order) {
    const auto it = c.find(spec);
    if (it == c.end()) {
      result.only_in_baseline.push_back(spec);
      continue;
    }
    result.verdicts.push_back(verdicts_of(spec, b.at(spec), it->second));
    compare_spec(spec, b.at(spec), it->second, config, result);
  }
  for (const auto& spec : current_order)
    if (!b.contains(spec)) result.only_in_current.push_back(spec);
  return result;
}

}  // namespace osh::gate
