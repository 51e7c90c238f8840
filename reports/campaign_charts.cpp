#include "reports/campaign_charts.h"

#include <algorithm>

#include "reports/campaign_digest.h"
#include "reports/html_assets.h"
#include "reports/report_format.h"
#include "reports/svg_chart.h"

namespace osh::reports {
namespace {

using campaign::RunResult;
using campaign::Verdict;

// Each criterion on `metric`, once, by its text ("boot_ms <= 200").
std::vector<std::pair<double, std::string>> bounds_of(const std::vector<const RunResult*>& runs,
                                                      const std::string& metric) {
  std::vector<std::pair<double, std::string>> bounds;
  for (const auto* r : runs)
    for (const auto& c : r->criteria)
      if (c.metric == metric && std::none_of(bounds.begin(), bounds.end(),
                                             [&](const auto& b) { return b.second == c.text; }))
        bounds.emplace_back(c.bound, c.text);
  return bounds;
}

stats::Chart scatter(const std::string& spec, const std::string& metric, const std::string& unit,
                     const std::vector<std::pair<const RunResult*, double>>& values,
                     const std::vector<std::pair<double, std::string>>& bounds) {
  stats::Chart c;
  c.kind = stats::Chart::Kind::Scatter;
  c.id = "spec." + spec + "." + metric;
  c.title = spec + ": " + metric;
  c.x_label = "run";
  c.y_label = metric;
  c.y_unit = unit;
  for (const Verdict v : campaign::kAllVerdicts) {
    stats::Series s{std::string(campaign::to_string(v)), {}, std::string(verdict_color(v))};
    for (const auto& [r, value] : values)
      if (r->verdict == v) s.points.push_back({static_cast<double>(r->index), value});
    if (!s.points.empty()) c.series.push_back(std::move(s));
  }
  for (const auto& [bound, text] : bounds) c.levels.push_back({bound, text});
  return c;
}

stats::Chart distribution(const std::string& spec, const std::vector<double>& boots,
                          const std::vector<std::pair<double, std::string>>& bounds) {
  stats::Chart c;
  c.kind = stats::Chart::Kind::Histogram;
  c.id = "spec." + spec + ".boot_ms.distribution";
  c.title = spec + ": boot time across runs";
  c.x_label = "spawn to BOOT:READY";
  c.x_unit = "ms";
  c.y_label = "runs";
  c.series.push_back(bucket_counts(boots, 20));
  auto sorted = boots;
  std::sort(sorted.begin(), sorted.end());
  const double median = percentile(sorted, 50);
  c.rules.push_back({median, "median " + fixed(median, 1) + " ms"});
  for (const auto& [bound, text] : bounds) c.rules.push_back({bound, text});
  return c;
}

SpecCharts charts_of(const SpecRuns& spec) {
  const auto& [name, runs] = spec;
  SpecCharts out{.spec = name};
  auto metrics = key_metrics(runs);
  metrics.insert(metrics.begin() + 1, "duration_ms");
  for (const auto& metric : metrics) {
    std::vector<std::pair<const RunResult*, double>> values;
    for (const auto* r : runs)
      if (const auto v = metric_value(*r, metric)) values.emplace_back(r, *v);
    const std::string unit = metric_unit(metric);
    if (values.size() == 1) {
      const auto& [r, v] = values.front();
      out.singles.push_back({metric, unit, v, r->index, r->verdict});
      continue;
    }
    if (values.empty()) continue;
    const auto bounds = bounds_of(runs, metric);
    out.charts.push_back(scatter(name, metric, unit, values, bounds));
    if (metric == "boot_ms" && values.size() >= kRunsForDistribution) {
      std::vector<double> boots;
      for (const auto& [r, v] : values) boots.push_back(v);
      out.charts.push_back(distribution(name, boots, bounds));
    }
  }
  return out;
}

}  // namespace

stats::Series bucket_counts(const std::vector<double>& values, int max_buckets) {
  stats::Series series{"runs", {}};
  if (values.empty()) return series;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const AxisTicks edges = linear_ticks(*lo, *hi, max_buckets);
  const size_t buckets = edges.values.size() - 1;
  std::vector<double> counts(buckets, 0);
  for (const double v : values) {
    // upper_bound: a value on an edge belongs to the bucket that starts there.
    const auto it = std::upper_bound(edges.values.begin(), edges.values.end(), v);
    const size_t i = static_cast<size_t>(std::distance(edges.values.begin(), it));
    ++counts[std::clamp<size_t>(i, 1, buckets) - 1];
  }
  for (size_t i = 0; i < buckets; ++i) series.points.push_back({edges.values[i], counts[i]});
  return series;
}

std::vector<SpecCharts> spec_charts(const campaign::CampaignOutcome& outcome) {
  std::vector<SpecCharts> out;
  for (const auto& spec : runs_by_spec(outcome)) {
    if (out.size() == kSpecsCharted) break;
    out.push_back(charts_of(spec));
  }
  return out;
}

}  // namespace osh::reports
